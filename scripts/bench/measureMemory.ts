import { BenchChild } from './benchChild.ts';

/** Memory after a full GC at each checkpoint of one sandbox's warm invocations. */
export interface MemoryResult {
  checkpoints: Array<{ calls: number; rssBytes: number; heapUsedBytes: number; externalBytes: number }>;
  /** Last checkpoint minus the baseline checkpoint. */
  rssGrowthBytes: number;
  heapGrowthBytes: number;
}

const PROBE_SCRIPT = new URL('./probes/memoryProbe.ts', import.meta.url).pathname;

/**
 * One fresh process (node --expose-gc) makes `calls` warm invocations; memory is read after
 * `gc()` at the baseline (e.g. 100 calls), at intermediate points and at the end.
 *
 * @example
 * const memory = await measureMemory(env, { bundlePath, event, baselineCalls: 100, calls: 10_000, cpu: 1, stdoutPath });
 */
export async function measureMemory(
  env: Record<string, string>,
  options: { bundlePath: string; event: string; baselineCalls: number; calls: number; cpu: number | undefined; stdoutPath: string },
): Promise<MemoryResult> {
  const quarter = Math.floor(options.calls / 4);
  const checkpoints = [...new Set([options.baselineCalls, quarter, 2 * quarter, 3 * quarter, options.calls])]
    .filter((calls) => calls >= options.baselineCalls && calls > 0)
    .sort((a, b) => a - b);
  const child = BenchChild.spawn(PROBE_SCRIPT, { env, stdoutPath: options.stdoutPath, cpu: options.cpu, execArgv: ['--expose-gc'] });
  try {
    const samples = await child.call<MemoryResult['checkpoints']>('run', { bundlePath: options.bundlePath, event: options.event, checkpoints });
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    return { checkpoints: samples, rssGrowthBytes: last.rssBytes - first.rssBytes, heapGrowthBytes: last.heapUsedBytes - first.heapUsedBytes };
  } finally {
    await child.close();
  }
}
