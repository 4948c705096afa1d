import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInvokers } from '../../scripts/build.ts';

const run = promisify(execFile);
const banner = "import{createRequire}from'module';const require=createRequire(import.meta.url);";

describe('Function: buildInvokers', () => {
  let workDir: string;
  let functionsDir: string;
  let outDir: string;

  beforeAll(async () => {
    // Prepare: two invokers and a folder that is not one. `demo` inlines CommonJS that calls
    // require('node:os'), which only works in an ESM bundle thanks to the banner, and throws a
    // class whose name minification would change without keepNames.
    workDir = await mkdtemp(join(tmpdir(), 'meshgate-build-'));
    functionsDir = join(workDir, 'functions');
    outDir = join(workDir, 'dist');
    await mkdir(join(functionsDir, 'demo'), { recursive: true });
    await mkdir(join(functionsDir, 'other'), { recursive: true });
    await mkdir(join(functionsDir, 'not-an-invoker'), { recursive: true });
    await writeFile(join(functionsDir, 'demo', 'platform.cjs'), "module.exports = require('node:os').platform();\n");
    await writeFile(
      join(functionsDir, 'demo', 'index.ts'),
      [
        "import platform from './platform.cjs';",
        'class DemoRefusedError extends Error {}',
        'export const handler = async (): Promise<{ platform: string; errorClass: string }> =>',
        '  ({ platform, errorClass: new DemoRefusedError().constructor.name });',
        '',
      ].join('\n'),
    );
    await writeFile(join(functionsDir, 'other', 'index.ts'), 'export const handler = async () => 1;\n');
    await writeFile(join(functionsDir, 'not-an-invoker', 'README.md'), 'no entry point\n');
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('bundles every functions/<name>/index.ts into <outDir>/<name>/index.mjs and reports its size', async () => {
    // Act
    const built = await buildInvokers({ functionsDir, outDir });

    // Assess
    expect(built.map(({ name }) => name)).toEqual(['demo', 'other']);
    for (const { name, outfile, bytes } of built) {
      expect(outfile).toBe(join(outDir, name, 'index.mjs'));
      expect(bytes).toBe((await stat(outfile)).size);
      expect(existsSync(`${outfile}.map`)).toBe(true);
      expect(JSON.parse(await readFile(join(outDir, name, 'index.meta.json'), 'utf8'))).toHaveProperty('outputs');
    }
  });

  it('makes a bundle that runs CommonJS require() and keeps class names', async () => {
    // Prepare
    const [demo] = await buildInvokers({ functionsDir, outDir, only: ['demo'] });
    const source = await readFile(demo!.outfile, 'utf8');

    // Act: a fresh Node process, as Lambda would load it.
    const { stdout } = await run(process.execPath, [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(pathToFileURL(demo!.outfile).href)}); process.stdout.write(JSON.stringify(await m.handler()));`,
    ]);

    // Assess
    expect(source.startsWith(banner)).toBe(true);
    expect(JSON.parse(stdout)).toEqual({ platform: process.platform, errorClass: 'DemoRefusedError' });
  });

  it('uses the same banner as template.yaml', async () => {
    const template = await readFile(new URL('../../template.yaml', import.meta.url), 'utf8');
    expect(template).toContain(`"js=${banner}"`);
  });

  it('refuses to build an invoker that has no index.ts', async () => {
    await expect(buildInvokers({ functionsDir, outDir, only: ['not-an-invoker'] })).rejects.toThrow(
      /No not-an-invoker invoker with an index\.ts/,
    );
  });
});
