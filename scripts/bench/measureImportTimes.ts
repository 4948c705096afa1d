import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { BenchBundle } from './buildBenchBundles.ts';
import type { LambdaRuntime } from './lambdaRuntime.ts';
import { median } from './median.ts';

const run = promisify(execFile);

/** Median import time of an invoker bundle and of its dependencies alone, a fresh process per sample. */
export interface ImportTime {
  name: string;
  invokerMs: number;
  dependenciesMs: number;
  /** Median over samples of (invoker − dependencies) / dependencies, measured in pairs: what the project's own code adds. */
  ownShare: number;
  /** The same from the processes' CPU time during the import: less sensitive to other processes than wall time. */
  ownShareCpu: number;
  samples: number;
}

/**
 * Times `await import(bundle)` in a new Node.js process per sample (what a cold Lambda sandbox
 * pays after the runtime starts), each invoker bundle paired with its dependencies-only bundle.
 *
 * @example
 * const times = await measureImportTimes(bundles, { samples: 21, cpu: 1, runtime: await lambdaRuntime() });
 */
export async function measureImportTimes(
  bundles: readonly BenchBundle[],
  options: { samples: number; cpu: number | undefined; runtime: LambdaRuntime },
): Promise<ImportTime[]> {
  // As deployed: the function's environment (with NODE_OPTIONS=--enable-source-maps, each bundle's source map is read too) and Lambda's heap flags.
  const env = { PATH: process.env.PATH ?? '', ...options.runtime.environment };
  const pairs = new Map<string, Array<{ invoker: ImportSample; dependencies: ImportSample }>>(bundles.map((bundle) => [bundle.name, []]));
  for (let sample = 0; sample < options.samples; sample++) {
    for (const bundle of bundles) {
      // Each pair back to back (so drift hits both alike), its order alternating.
      const invokerFirst = sample % 2 === 0;
      const first = await importOnce(invokerFirst ? bundle.bundlePath : bundle.dependenciesPath, options.cpu, options.runtime.v8Flags, env);
      const second = await importOnce(invokerFirst ? bundle.dependenciesPath : bundle.bundlePath, options.cpu, options.runtime.v8Flags, env);
      pairs.get(bundle.name)!.push(invokerFirst ? { invoker: first, dependencies: second } : { invoker: second, dependencies: first });
    }
  }
  return bundles.map((bundle) => {
    const measured = pairs.get(bundle.name)!;
    return {
      name: bundle.name,
      invokerMs: median(measured.map((pair) => pair.invoker.wallMs)),
      dependenciesMs: median(measured.map((pair) => pair.dependencies.wallMs)),
      // The median of the paired differences: steadier on a noisy machine than a difference of medians.
      ownShare: median(measured.map((pair) => (pair.invoker.wallMs - pair.dependencies.wallMs) / pair.dependencies.wallMs)),
      ownShareCpu: median(measured.map((pair) => (pair.invoker.cpuMs - pair.dependencies.cpuMs) / pair.dependencies.cpuMs)),
      samples: options.samples,
    };
  });
}

interface ImportSample {
  wallMs: number;
  cpuMs: number;
}

async function importOnce(path: string, cpu: number | undefined, v8Flags: readonly string[], env: NodeJS.ProcessEnv): Promise<ImportSample> {
  const code = [
    'const cpu = process.cpuUsage(); const started = performance.now();',
    `await import(${JSON.stringify(pathToFileURL(path).href)});`,
    'const wallMs = performance.now() - started; const used = process.cpuUsage(cpu);',
    'process.stdout.write(JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000 }));',
  ].join(' ');
  const node = [process.execPath, ...v8Flags, '--input-type=module', '-e', code];
  const [command, ...args] = cpu === undefined ? node : ['taskset', '-c', String(cpu), ...node];
  const { stdout } = await run(command!, args, { env });
  const sample = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Partial<ImportSample>;
  if (!Number.isFinite(sample.wallMs) || !Number.isFinite(sample.cpuMs)) throw new Error(`import probe of ${path} printed no time`);
  return sample as ImportSample;
}
