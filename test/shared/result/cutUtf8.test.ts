import { describe, expect, it } from 'vitest';
import { cutUtf8 } from '../../../shared/result/cutUtf8.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('Function: cutUtf8', () => {
  it('returns the whole text when it fits', () => {
    // Prepare
    const input = bytes('héllo');

    // Act
    const text = cutUtf8(input, input.length);

    // Assess
    expect(text).toBe('héllo');
  });

  it('cuts ASCII at exactly maxBytes', () => {
    // Prepare
    const input = bytes('abcdefgh');

    // Act
    const text = cutUtf8(input, 5);

    // Assess
    expect(text).toBe('abcde');
  });

  it.each([
    // "a" + "é" (2 bytes) + "b": a cut inside "é" drops it whole.
    ['a 2-byte character', 'aéb', 2, 'a'],
    // "€" is 3 bytes: cuts after its 1st or 2nd byte drop it.
    ['a 3-byte character after one byte', 'a€b', 2, 'a'],
    ['a 3-byte character after two bytes', 'a€b', 3, 'a'],
    // "😀" is 4 bytes.
    ['a 4-byte character after three bytes', 'a😀b', 4, 'a'],
    ['nothing but a 4-byte character', '😀', 2, ''],
  ])('steps back before %s', (_what, input, maxBytes, expected) => {
    // Prepare
    const encoded = bytes(input);

    // Act
    const text = cutUtf8(encoded, maxBytes);

    // Assess
    expect(text).toBe(expected);
    expect(text).not.toContain('\uFFFD');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(maxBytes);
  });

  it('keeps a multi-byte character that ends exactly at the cut', () => {
    // Prepare
    const input = bytes('a😀b');

    // Act
    const text = cutUtf8(input, 5);

    // Assess
    expect(text).toBe('a😀');
  });

  it('never exceeds maxBytes nor breaks a character, for a 512-byte detail of mixed text', () => {
    // Prepare
    const input = bytes('ü€😀x'.repeat(200));

    // Act
    const lengths = [509, 510, 511, 512].map((max) => [max, cutUtf8(input, max)] as const);

    // Assess
    for (const [max, text] of lengths) {
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(max);
      expect(Buffer.byteLength(text)).toBeGreaterThan(max - 4);
      expect(text).not.toContain('\uFFFD');
    }
  });

  it('returns an empty string for maxBytes 0', () => {
    // Prepare
    const input = bytes('abc');

    // Act
    const text = cutUtf8(input, 0);

    // Assess
    expect(text).toBe('');
  });
});
