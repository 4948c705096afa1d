// With the `u` flag a surrogate range matches only unpaired halves; paired ones form one code point.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * True when a string is not well-formed Unicode. `encodeURIComponent` throws `URIError` on such
 * strings and they have no UTF-8 form, so they are refused before any encoding.
 */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}
