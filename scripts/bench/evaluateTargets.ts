import type { BenchReport, TargetCheck } from './benchReport.ts';

/**
 * Growth allowed over the second half of the memory run (5 000 → 10 000 calls). Over the first half
 * the JIT, caches and V8's young generation (up to the Lambda flags' cap) settle whatever the code
 * does; a leak keeps growing after that.
 */
const HEAP_SECOND_HALF_LIMIT_BYTES = 512 * 1024;
/** RSS also moves with the allocator's and V8's page reuse: up to 5% over the second half counts as flat. */
const RSS_SECOND_HALF_LIMIT_SHARE = 0.05;

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
  const mib = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / 1024 / 1024).toFixed(2)} MiB`;
  return [
    { target: 'warm p50 ≤ 1.10× floor', measured: x(ratios.p50VsFloor), met: ratios.p50VsFloor <= 1.1 },
    { target: 'warm p95 ≤ 1.25× floor', measured: x(ratios.p95VsFloor), met: ratios.p95VsFloor <= 1.25 },
    { target: 'SSM calls per warm call = 0', measured: perCall(invoker.ioPerCall.ssmCalls), met: invoker.ioPerCall.ssmCalls === 0 },
    { target: 'token requests per warm call = 0', measured: perCall(invoker.ioPerCall.tokenRequests), met: invoker.ioPerCall.tokenRequests === 0 },
    { target: 'TLS handshakes per warm call = 0', measured: perCall(invoker.ioPerCall.handshakes), met: invoker.ioPerCall.handshakes === 0 },
    { target: 'warm p50 ≤ 0.10× hand-rolled', measured: x(ratios.p50VsHandRolled), met: ratios.p50VsHandRolled <= 0.1 },
    ...report.importTimes.map((time) => ({
      target: `${time.name}: own code ≤ 10% of import time`,
      measured: `${(time.ownShare * 100).toFixed(1)}% (CPU ${(time.ownShareCpu * 100).toFixed(1)}%)`,
      met: time.ownShare <= 0.1,
    })),
    {
      target: 'no memory growth: heap after gc(), second half of the run ≤ +0.5 MiB',
      measured: `${mib(report.memory.heapSecondHalfGrowthBytes)} (whole run ${mib(report.memory.heapGrowthBytes)})`,
      met: report.memory.heapSecondHalfGrowthBytes <= HEAP_SECOND_HALF_LIMIT_BYTES,
    },
    {
      target: 'no memory growth: RSS, second half of the run ≤ +5%',
      measured: `${mib(report.memory.rssSecondHalfGrowthBytes)} (whole run ${mib(report.memory.rssGrowthBytes)})`,
      met: report.memory.rssSecondHalfGrowthBytes <= report.memory.rssMiddleBytes * RSS_SECOND_HALF_LIMIT_SHARE,
    },
  ];
}
