import { describe, expect, it } from 'vitest';
import { roundOrder } from '../../scripts/bench/roundOrder.ts';

// Three sandboxes of five variants, as the warm benchmark runs them, over its 20 rounds.
const UNITS = [1, 2, 3].flatMap((sandbox) => ['floor', 'invoker', 'handRolled', 'floorAgain', 'floorWithRecord'].map((name) => `${name}-${sandbox}`));
const ROUNDS = 20;

describe('Function: roundOrder', () => {
  it('runs every unit exactly once per round, in the same order for the same round every time', () => {
    for (let round = 0; round < ROUNDS; round++) {
      const order = roundOrder(round, UNITS);
      expect([...order].sort()).toEqual([...UNITS].sort());
      expect(roundOrder(round, UNITS)).toEqual(order);
    }
  });

  it('does not keep a unit behind the same neighbour: no variant pays for another one round after round', () => {
    // A rotation (reversed every other cycle) gives each unit only two predecessors over all rounds.
    const predecessors = new Map<string, Set<string>>(UNITS.map((unit) => [unit, new Set()]));
    const orders = Array.from({ length: ROUNDS }, (_, round) => roundOrder(round, UNITS));
    for (const order of orders) for (let index = 1; index < order.length; index++) predecessors.get(order[index]!)!.add(order[index - 1]!);
    for (const seen of predecessors.values()) expect(seen.size).toBeGreaterThanOrEqual(8);
    // The invoker's sandboxes run right after a hand-rolled one in a few rounds, not in most.
    const afterHandRolled = orders.flatMap((order) => order.filter((unit, index) => unit.startsWith('invoker') && order[index - 1]?.startsWith('handRolled')));
    expect(afterHandRolled.length).toBeLessThan(ROUNDS);
  });

  it('changes the order from round to round', () => {
    const distinct = new Set(Array.from({ length: ROUNDS }, (_, round) => roundOrder(round, UNITS).join(',')));
    expect(distinct.size).toBe(ROUNDS);
  });
});
