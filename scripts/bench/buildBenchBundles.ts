import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { buildInvokers } from '../build.ts';
import { dependencyEntry, type BundleMetafile } from './dependencyEntry.ts';
import { repoRoot } from './repoRoot.ts';

/** One invoker's bundle and the bundle of its dependencies alone, built with the same options. */
export interface BenchBundle {
  /** Invoker folder name, e.g. `http-invoker`. */
  name: string;
  bundlePath: string;
  bytes: number;
  /** Bytes the project's own modules contribute to the bundle (from the esbuild metafile). */
  ownBytes: number;
  dependenciesPath: string;
  dependenciesBytes: number;
  /** Packages left out of the bundle and loaded from node_modules at run time (Lambda: the runtime's AWS SDK). */
  external: string[];
}

/**
 * Builds every invoker with `buildInvokers` (the build `npm run build` and the template use) into
 * `<outDir>/dist`, and for each one a bundle of only the package imports its own modules make.
 *
 * @example
 * const bundles = await buildBenchBundles('bench-results');
 */
export async function buildBenchBundles(outDir: string): Promise<BenchBundle[]> {
  // The dependency entries import packages by name: they resolve only from inside the repository.
  if (relative(repoRoot, resolve(outDir)).startsWith('..')) throw new Error(`The bench output folder must be inside ${repoRoot}: ${outDir}`);
  const distDir = join(outDir, 'dist');
  const invokers = await buildInvokers({ outDir: distDir });
  const entriesDir = join(outDir, 'dependency-entries');
  const metafiles = new Map<string, BundleMetafile>();
  for (const { name } of invokers) {
    const metafile = JSON.parse(await readFile(join(distDir, name, 'index.meta.json'), 'utf8')) as BundleMetafile & {
      inputs: Record<string, { bytesInOutput?: number }>;
    };
    metafiles.set(name, metafile);
    await mkdir(join(entriesDir, `${name}-dependencies`), { recursive: true });
    // esbuild's metafile paths are relative to the working directory of the build.
    await writeFile(join(entriesDir, `${name}-dependencies`, 'index.ts'), await dependencyEntry(metafile, process.cwd()));
  }
  const dependencies = await buildInvokers({ functionsDir: entriesDir, outDir: distDir });
  return invokers.map(({ name, outfile, bytes }) => {
    const deps = dependencies.find((built) => built.name === `${name}-dependencies`)!;
    return {
      name,
      bundlePath: outfile,
      bytes,
      ownBytes: ownBytesOf(metafiles.get(name)!, outfile),
      external: externalPackagesOf(metafiles.get(name)!),
      dependenciesPath: deps.outfile,
      dependenciesBytes: deps.bytes,
    };
  });
}

function ownBytesOf(metafile: BundleMetafile, outfile: string): number {
  const outputs = (metafile as { outputs?: Record<string, { entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }> }).outputs ?? {};
  const output = Object.entries(outputs).find(([path]) => outfile.endsWith(path.replace(/^(\.\.\/)+/, '')))?.[1] ?? Object.values(outputs).find((candidate) => candidate.entryPoint);
  let own = 0;
  for (const [path, input] of Object.entries(output?.inputs ?? {})) if (!path.includes('node_modules/')) own += input.bytesInOutput;
  return own;
}

function externalPackagesOf(metafile: BundleMetafile): string[] {
  const outputs = (metafile as { outputs?: Record<string, { imports?: Array<{ path: string; external?: boolean }> }> }).outputs ?? {};
  const packages = new Set<string>();
  for (const output of Object.values(outputs)) {
    for (const { path, external } of output.imports ?? []) {
      if (!external || isBuiltin(path) || !/^[@a-z]/.test(path)) continue;
      const parts = path.split('/');
      packages.add(path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
    }
  }
  return [...packages].sort();
}
