import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * The order in which round `round` runs the measured units: a Fisher–Yates shuffle drawn from a
 * generator seeded with the round's number, so the same in every run. Not a rotation: with more
 * than two units a rotation keeps each unit's neighbours, so one variant would always follow,
 * say, the hand-rolled handler, whose SSM calls and handshakes leave the mesh busy for a while.
 *
 * @example
 * roundOrder(0, ['floor', 'invoker', 'handRolled']) // the same permutation every time for round 0
 */
export function roundOrder<T>(round: number, units: readonly T[]): T[] {
  const order = [...units];
  const random = xoroshiro128plus(round);
  for (let index = order.length - 1; index > 0; index--) {
    const other = uniformInt(random, 0, index);
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  return order;
}
