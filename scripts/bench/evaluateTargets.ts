import type { BenchReport, TargetCheck } from './benchReport.ts';

/** Heap (after a full GC) may differ by this much between 100 and 10 000 calls and still count as flat. */
export const HEAP_GROWTH_LIMIT_BYTES = 1024 * 1024;
/** RSS moves with the allocator's page reuse; more than this between 100 and 10 000 calls counts as growth. */
export const RSS_GROWTH_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * The targets, checked against one run: warm p50 ≤ 1.10× and p95 ≤ 1.25× the floor, no
 * SSM call, token request or handshake per warm call, ≤ 0.10× the hand-rolled handler, own code
 * ≤ 10% of import time, no memory growth.
 *
 * @example
 * const targets = evaluateTargets(report);
 */
export function evaluateTargets(report: Omit<BenchReport, 'targets' | 'durationMs'>): TargetCheck[] {
  const invoker = report.warm.variants.find((variant) => variant.name === 'invoker')!;
  const { ratios } = report.warm;
  const x = (value: number) => `${value.toFixed(2)}×`;
  const perCall = (value: number) => value.toFixed(4);
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
  return [
    { target: 'warm p50 ≤ 1.10× floor', measured: x(ratios.p50VsFloor), met: ratios.p50VsFloor <= 1.1 },
    { target: 'warm p95 ≤ 1.25× floor', measured: x(ratios.p95VsFloor), met: ratios.p95VsFloor <= 1.25 },
    { target: 'SSM calls per warm call = 0', measured: perCall(invoker.ioPerCall.ssmCalls), met: invoker.ioPerCall.ssmCalls === 0 },
    { target: 'token requests per warm call = 0', measured: perCall(invoker.ioPerCall.tokenRequests), met: invoker.ioPerCall.tokenRequests === 0 },
    { target: 'TLS handshakes per warm call = 0', measured: perCall(invoker.ioPerCall.handshakes), met: invoker.ioPerCall.handshakes === 0 },
    { target: 'warm p50 ≤ 0.10× hand-rolled', measured: x(ratios.p50VsHandRolled), met: ratios.p50VsHandRolled <= 0.1 },
    ...report.importTimes.map((time) => ({
      target: `${time.name}: own code ≤ 10% of import time`,
      measured: `${(time.ownShare * 100).toFixed(1)}%`,
      met: time.ownShare <= 0.1,
    })),
    {
      target: `no memory growth ${report.memory.checkpoints[0]?.calls ?? 0} → ${report.settings.memoryCalls} calls`,
      measured: `heap ${mib(report.memory.heapGrowthBytes)}, RSS ${mib(report.memory.rssGrowthBytes)}`,
      met: report.memory.heapGrowthBytes <= HEAP_GROWTH_LIMIT_BYTES && report.memory.rssGrowthBytes <= RSS_GROWTH_LIMIT_BYTES,
    },
  ];
}
