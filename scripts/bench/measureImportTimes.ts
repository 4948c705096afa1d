import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { BenchBundle } from './buildBenchBundles.ts';
import { median } from './median.ts';

const run = promisify(execFile);

/** Median import time of an invoker bundle and of its dependencies alone, fresh process per sample. */
export interface ImportTime {
  name: string;
  invokerMs: number;
  dependenciesMs: number;
  /** (invoker − dependencies) / dependencies: what the project's own code adds. */
  ownShare: number;
  samples: number;
}

/**
 * Times `await import(bundle)` in a new Node.js process per sample (what a cold Lambda sandbox
 * pays after the runtime starts), alternating invoker and dependency bundles so drift hits both.
 *
 * @example
 * const times = await measureImportTimes(bundles, { samples: 15, cpu: 1 });
 */
export async function measureImportTimes(
  bundles: readonly BenchBundle[],
  options: { samples: number; cpu: number | undefined; env?: NodeJS.ProcessEnv },
): Promise<ImportTime[]> {
  const times = new Map<string, number[]>();
  const paths = bundles.flatMap((bundle) => [bundle.bundlePath, bundle.dependenciesPath]);
  for (let sample = 0; sample < options.samples; sample++) {
    // Reverse every other sample so neither kind always follows the other.
    for (const path of sample % 2 === 0 ? paths : [...paths].reverse()) {
      const list = times.get(path) ?? [];
      list.push(await importOnce(path, options.cpu, options.env));
      times.set(path, list);
    }
  }
  return bundles.map((bundle) => {
    const invokerMs = median(times.get(bundle.bundlePath)!);
    const dependenciesMs = median(times.get(bundle.dependenciesPath)!);
    return { name: bundle.name, invokerMs, dependenciesMs, ownShare: (invokerMs - dependenciesMs) / dependenciesMs, samples: options.samples };
  });
}

async function importOnce(path: string, cpu: number | undefined, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const code = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(path).href)}); process.stdout.write(String(performance.now() - t));`;
  const node = [process.execPath, '--input-type=module', '-e', code];
  const [command, ...args] = cpu === undefined ? node : ['taskset', '-c', String(cpu), ...node];
  const { stdout } = await run(command!, args, { env });
  const ms = Number(stdout.trim().split('\n').pop());
  if (!Number.isFinite(ms)) throw new Error(`import probe of ${path} printed no time`);
  return ms;
}
