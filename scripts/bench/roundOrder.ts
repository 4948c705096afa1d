/**
 * The order in which round `round` runs the measured units: shuffled, by a generator seeded with
 * the round's number, so the same in every run. Not a rotation: with more than two units a
 * rotation keeps each unit's neighbours, so one variant would always follow, say, the hand-rolled
 * handler, whose SSM calls and handshakes leave the mesh busy for a while.
 *
 * @example
 * roundOrder(0, ['floor', 'invoker', 'handRolled']) // the same permutation every time for round 0
 */
export function roundOrder<T>(round: number, units: readonly T[]): T[] {
  const order = [...units];
  const random = mulberry32(round + 1);
  for (let index = order.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  return order;
}

/** A small seeded generator (Tommy Ettinger's Mulberry32): a fixed sequence per seed, for a reproducible shuffle. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
