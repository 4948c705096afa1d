import { BenchChild } from './benchChild.ts';
import type { LambdaRuntime } from './lambdaRuntime.ts';

/** Memory after a full GC at each checkpoint of one sandbox's warm invocations. */
export interface MemoryResult {
  checkpoints: Array<{ calls: number; rssBytes: number; heapUsedBytes: number; externalBytes: number; youngGenerationBytes: number }>;
  /** Last checkpoint minus the baseline checkpoint (e.g. 10 000 calls against 100). */
  rssGrowthBytes: number;
  heapGrowthBytes: number;
  /** Last checkpoint minus the middle one: a leak keeps growing here; warm-up (JIT, caches, V8 growing its young generation to its cap) does not. */
  rssSecondHalfGrowthBytes: number;
  heapSecondHalfGrowthBytes: number;
  /** RSS at the middle checkpoint, the reference for the second half's growth. */
  rssMiddleBytes: number;
  /** The V8 flags the process ran with (Lambda's, for the template's MemorySize). */
  v8Flags: string[];
  /** Formatting the first stack trace through the bundle (before the baseline): under --enable-source-maps, the source map's one-time decode. */
  firstStackTrace: { ms: number; heapBytes: number };
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
  options: { bundlePath: string; event: string; baselineCalls: number; calls: number; cpu: number | undefined; runtime: LambdaRuntime; stdoutPath: string },
): Promise<MemoryResult> {
  const quarter = Math.floor(options.calls / 4);
  const checkpoints = [...new Set([options.baselineCalls, quarter, 2 * quarter, 3 * quarter, options.calls])]
    .filter((calls) => calls >= options.baselineCalls && calls > 0)
    .sort((a, b) => a - b);
  const child = BenchChild.spawn(PROBE_SCRIPT, {
    env: { ...options.runtime.environment, ...env },
    stdoutPath: options.stdoutPath,
    cpu: options.cpu,
    execArgv: ['--expose-gc', ...options.runtime.v8Flags],
  });
  try {
    const { samples, firstStackTrace } = await child.call<{ samples: MemoryResult['checkpoints']; firstStackTrace: MemoryResult['firstStackTrace'] }>('run', {
      bundlePath: options.bundlePath,
      event: options.event,
      checkpoints,
    });
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    const middle = samples.find((sample) => sample.calls >= last.calls / 2) ?? first;
    return {
      checkpoints: samples,
      rssGrowthBytes: last.rssBytes - first.rssBytes,
      heapGrowthBytes: last.heapUsedBytes - first.heapUsedBytes,
      rssSecondHalfGrowthBytes: last.rssBytes - middle.rssBytes,
      heapSecondHalfGrowthBytes: last.heapUsedBytes - middle.heapUsedBytes,
      rssMiddleBytes: middle.rssBytes,
      v8Flags: options.runtime.v8Flags,
      firstStackTrace,
    };
  } finally {
    await child.close();
  }
}
