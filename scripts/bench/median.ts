import { latencySummary } from './latencySummary.ts';

/** The median (nearest rank) of a set of measurements. */
export function median(samples: readonly number[]): number {
  return latencySummary(samples).p50;
}
