import { describe, expect, it } from 'vitest';
import { roundRatioSpread } from '../../scripts/bench/roundRatioSpread.ts';

describe('Function: roundRatioSpread', () => {
  it('divides the p50s of the same round, not of the pooled samples', () => {
    // Round 1 is slow for both variants, round 2 fast for both: per round the ratio is 1.1 each time,
    // while the pooled p50s (2.2 and 1.0) would say 2.2.
    const invoker = [[2.2, 2.2, 2.2], [1.1, 1.1, 1.1]];
    const floor = [[2.0, 2.0, 2.0], [1.0, 1.0, 1.0]];
    const spread = roundRatioSpread(invoker, floor);
    expect(spread.rounds).toBe(2);
    expect(spread.median).toBeCloseTo(1.1, 10);
    expect(spread.min).toBeCloseTo(1.1, 10);
    expect(spread.max).toBeCloseTo(1.1, 10);
  });

  it('reports nearest-rank quartiles and the range of the per-round ratios', () => {
    const floor = [1, 2, 3, 4, 5, 6, 7, 8].map(() => [1]);
    const invoker = [1.3, 1.0, 1.1, 1.05, 1.2, 0.95, 1.15, 1.08].map((ratio) => [ratio]);
    expect(roundRatioSpread(invoker, floor)).toEqual({ rounds: 8, min: 0.95, q1: 1.0, median: 1.08, q3: 1.15, max: 1.3 });
  });

  it('refuses batches that do not pair up round by round', () => {
    expect(() => roundRatioSpread([[1]], [[1], [1]])).toThrow(/one batch per round/);
    expect(() => roundRatioSpread([], [])).toThrow(/one batch per round/);
  });
});
