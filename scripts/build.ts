import { readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Where `buildInvokers` looks for invokers and writes their bundles. */
export interface BuildInvokersOptions {
  /** Folder holding one folder per invoker with an `index.ts`; default `<repo>/functions`. */
  functionsDir?: string;
  /** Bundles are written to `<outDir>/<name>/index.mjs`; default `<repo>/dist`. */
  outDir?: string;
  /** Invoker folder names to build; default every folder that has an `index.ts`. */
  only?: readonly string[];
}

/** One bundle written by `buildInvokers`. */
export interface BuiltInvoker {
  /** The invoker's folder name, e.g. `http-invoker`. */
  name: string;
  /** Absolute path of the bundle (`.../<name>/index.mjs`). */
  outfile: string;
  /** Size of the bundle in bytes (source map not counted). */
  bytes: number;
}

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

// Same switches as the esbuild Metadata in template.yaml, so a local bundle (benchmarks,
// tests) is what `sam build` deploys. The banner gives the ESM bundle a `require` for the
// CommonJS code it inlines (the AWS SDK asks for node:https that way).
const bundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  // Error names are matched by Step Functions: they must survive minification.
  keepNames: true,
  sourcemap: true,
  // Mappings only, no copy of every source: a third of the size (5.4 MB → 1.9 MB) for whoever turns
  // NODE_OPTIONS=--enable-source-maps on (template.yaml leaves it off), about 25 ms less import then.
  sourcesContent: false,
  metafile: true,
  banner: { js: "import{createRequire}from'module';const require=createRequire(import.meta.url);" },
  logLevel: 'warning',
} as const;

/**
 * Bundles every `functions/<name>/index.ts` into `dist/<name>/index.mjs` (plus `.map` and an
 * esbuild metafile `index.meta.json` for size analysis).
 *
 * @example
 * ```ts
 * const built = await buildInvokers({ only: ['http-invoker'] });
 * console.log(built[0]?.bytes);
 * ```
 */
export async function buildInvokers(options: BuildInvokersOptions = {}): Promise<BuiltInvoker[]> {
  const functionsDir = resolve(options.functionsDir ?? join(repoRoot, 'functions'));
  const outDir = resolve(options.outDir ?? join(repoRoot, 'dist'));
  const names = await findInvokers(functionsDir, options.only);

  return Promise.all(
    names.map(async function bundleInvoker(name): Promise<BuiltInvoker> {
      const outfile = join(outDir, name, 'index.mjs');
      const result = await build({
        ...bundleOptions,
        entryPoints: [join(functionsDir, name, 'index.ts')],
        outfile,
      });
      await writeFile(join(outDir, name, 'index.meta.json'), JSON.stringify(result.metafile));
      const { size } = await stat(outfile);
      return { name, outfile, bytes: size };
    }),
  );
}

async function findInvokers(functionsDir: string, only: readonly string[] | undefined): Promise<string[]> {
  const entries = await readdir(functionsDir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const hasEntryPoint = await stat(join(functionsDir, entry.name, 'index.ts')).then(
      () => true,
      () => false,
    );
    if (hasEntryPoint) found.push(entry.name);
  }
  if (only === undefined) return found.sort();
  const missing = only.filter((name) => !found.includes(name));
  if (missing.length > 0) {
    throw new Error(`No ${missing.join(', ')} invoker with an index.ts under ${functionsDir}`);
  }
  return [...only];
}

if (import.meta.main) {
  const started = performance.now();
  const built = await buildInvokers();
  if (built.length === 0) console.log('No functions/*/index.ts to bundle.');
  for (const { outfile, bytes } of built) {
    console.log(`${relative(process.cwd(), outfile).padEnd(40)} ${(bytes / 1024).toFixed(1).padStart(9)} KB`);
  }
  console.log(`Bundled ${built.length} invoker(s) in ${Math.round(performance.now() - started)} ms.`);
}
