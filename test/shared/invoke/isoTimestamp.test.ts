import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTimestamp } from '../../../shared/invoke/isoTimestamp.ts';

/** What isoTimestamp must agree with: the Date builtin, result or RangeError. */
function dateIso(ms: number): string | RangeError {
  try {
    return new Date(ms).toISOString();
  } catch (error) {
    return error as RangeError;
  }
}

function ownIso(ms: number): string | RangeError {
  try {
    return isoTimestamp(ms);
  } catch (error) {
    return error as RangeError;
  }
}

describe('Function: isoTimestamp', () => {
  it('formats like Date#toISOString', () => {
    expect(isoTimestamp(1_764_201_600_123)).toBe('2025-11-27T00:00:00.123Z');
    expect(isoTimestamp(1_764_201_600_007)).toBe('2025-11-27T00:00:00.007Z');
    expect(isoTimestamp(1_764_201_600_050)).toBe('2025-11-27T00:00:00.050Z');
  });

  it('agrees with Date for any time, in any order of calls (the kept second changes or not)', () => {
    const anyTime = fc.oneof(
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      // Around now, so consecutive values often share a second.
      fc.integer({ min: 1_764_201_600_000, max: 1_764_201_603_000 }),
      // Fractions, years beyond 9999 and before 0, the edges of the valid range and past them.
      fc.double({ min: -9e15, max: 9e15, noNaN: true }),
      fc.constantFrom(-1, -1.5, 0.5, 8.64e15, -8.64e15, 8.64e15 + 1, 8.64e15 + 500, -8.64e15 - 0.5, 253_402_300_800_000, -62_167_219_200_001),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    );
    fc.assert(
      fc.property(fc.array(anyTime, { minLength: 1, maxLength: 20 }), (times) => {
        for (const ms of times) expect(ownIso(ms)).toStrictEqual(dateIso(ms));
      }),
      { numRuns: 2000 },
    );
  });

  it('does not reuse a second for the same milliseconds in another second', () => {
    expect(isoTimestamp(1_764_201_600_999)).toBe('2025-11-27T00:00:00.999Z');
    expect(isoTimestamp(1_764_201_601_000)).toBe('2025-11-27T00:00:01.000Z');
    expect(isoTimestamp(1_764_201_599_999)).toBe('2025-11-26T23:59:59.999Z');
  });
});
