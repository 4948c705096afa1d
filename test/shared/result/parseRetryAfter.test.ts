import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../shared/result/parseRetryAfter.ts';

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('Function: parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['2', 2],
    [' 120 ', 120],
  ])('reads delay-seconds %j', (value, expected) => {
    // Prepare
    const header = value;

    // Act
    const seconds = parseRetryAfter(header, NOW);

    // Assess
    expect(seconds).toBe(expected);
  });

  it('reads an HTTP-date as seconds from now, rounded up', () => {
    // Prepare
    const header = new Date(NOW + 29_500).toUTCString(); // toUTCString drops the 500 ms

    // Act
    const seconds = parseRetryAfter(header, NOW);

    // Assess
    expect(seconds).toBe(29);
  });

  it('rounds a fraction of a second up', () => {
    // Prepare
    const header = 'Sat, 01 Mar 2025 12:00:10 GMT';

    // Act
    const seconds = parseRetryAfter(header, NOW - 500);

    // Assess
    expect(seconds).toBe(11);
  });

  it('gives 0 for an HTTP-date in the past', () => {
    // Prepare
    const header = 'Sat, 01 Mar 2025 11:00:00 GMT';

    // Act
    const seconds = parseRetryAfter(header, NOW);

    // Assess
    expect(seconds).toBe(0);
  });

  it('takes the first value of a repeated header', () => {
    // Prepare
    const header = ['5', '60'];

    // Act
    const seconds = parseRetryAfter(header, NOW);

    // Assess
    expect(seconds).toBe(5);
  });

  it.each([[undefined], [''], ['   '], ['soon'], ['120s'], [[]]])('returns undefined for %j', (header) => {
    // Prepare
    const value = header as string | string[] | undefined;

    // Act
    const seconds = parseRetryAfter(value, NOW);

    // Assess
    expect(seconds).toBeUndefined();
  });

  // RFC 9110 allows only delay-seconds or an HTTP-date; a lenient date parser must not turn junk into "retry now".
  it.each([['-1'], ['1.5'], ['+5'], ['5, 6']])('returns undefined, not 0, for %j which is neither form', (header) => {
    // Prepare
    const value = header;

    // Act
    const seconds = parseRetryAfter(value, NOW);

    // Assess
    expect(seconds).toBeUndefined();
  });

  it('uses the real clock by default', () => {
    // Prepare
    const header = new Date(Date.now() + 60_000).toUTCString();

    // Act
    const seconds = parseRetryAfter(header);

    // Assess
    expect(seconds).toBeGreaterThanOrEqual(58);
    expect(seconds).toBeLessThanOrEqual(60);
  });
});
