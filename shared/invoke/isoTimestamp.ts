/** The largest distance from the epoch a Date can hold (ECMAScript TimeClip), in milliseconds. */
const MAX_TIME_MS = 8.64e15;

let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * `new Date(ms).toISOString()`, reusing the text up to the seconds (`2026-11-27T03:32:15.`) while
 * calls stay within one second. The invocation record formats its timestamp on every invocation
 * with the CPU caches cold from the network wait, where the Date builtin (which formats through
 * the C library's printf) cost 5–9 µs; appending the milliseconds to the kept prefix costs under
 * one (npm run bench, issue #7). Same result, same RangeError for an invalid time.
 *
 * @example
 * isoTimestamp(1764201600123) // '2025-11-27T00:00:00.123Z'
 */
export function isoTimestamp(ms: number): string {
  // As Date does: the fraction of a millisecond is dropped towards zero.
  const time = Math.trunc(ms);
  if (!(Math.abs(time) <= MAX_TIME_MS)) return new Date(ms).toISOString();
  const second = Math.floor(time / 1000);
  if (second !== cachedSecond) {
    // ".000Z" ends every whole second, whatever the year's width (+275760, -000001).
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, -4);
    cachedSecond = second;
  }
  const millis = time - second * 1000;
  return `${cachedPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}
