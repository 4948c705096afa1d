import { latencySummary, nearestRank } from './latencySummary.ts';

/** How a ratio varied from round to round: nearest-rank quartiles of the per-round values. */
export interface RatioSpread {
  rounds: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/**
 * The p50 of one variant divided by the p50 of another, round by round (the two ran in the same
 * round, back to back), and how that ratio spread over the rounds. The headline ratio pools every
 * sample; this shows whether a miss is systematic or a few noisy rounds, since the machine's
 * state changes between rounds and both variants of a round share it.
 *
 * @example
 * roundRatioSpread([[1.1, 1.2], [1.0]], [[1.0, 1.0], [1.0]]) // { rounds: 2, min: 1, q1: 1, median: 1, q3: 1.2, max: 1.2 }
 */
export function roundRatioSpread(numerator: readonly (readonly number[])[], denominator: readonly (readonly number[])[]): RatioSpread {
  if (numerator.length !== denominator.length || numerator.length === 0) throw new Error('one batch per round on both sides');
  const ratios = numerator.map((samples, round) => latencySummary(samples).p50 / latencySummary(denominator[round]!).p50).sort((a, b) => a - b);
  return {
    rounds: ratios.length,
    min: ratios[0]!,
    q1: nearestRank(ratios, 0.25),
    median: nearestRank(ratios, 0.5),
    q3: nearestRank(ratios, 0.75),
    max: ratios[ratios.length - 1]!,
  };
}
