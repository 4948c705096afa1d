/** Percentiles of a set of latencies, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/**
 * Nearest-rank percentiles (no interpolation: every reported value is one that was measured).
 *
 * @example
 * latencySummary([1.2, 0.9, 1.1]).p50 // 1.1
 */
export function latencySummary(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: nearestRank(sorted, 0.5),
    p95: nearestRank(sorted, 0.95),
    p99: nearestRank(sorted, 0.99),
    mean: sorted.reduce((total, value) => total + value, 0) / sorted.length,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

/**
 * The nearest-rank percentile `p` (0–1) of values sorted ascending.
 *
 * @example
 * nearestRank([0.9, 1.1, 1.2], 0.5) // 1.1
 */
export function nearestRank(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
