import { redactSecrets } from '../logging/redactSecrets.ts';
import { cutUtf8 } from './cutUtf8.ts';

const DETAIL_BYTES = 512;
const DETAIL_WINDOW_BYTES = 16 * 1024;

/**
 * The `detail` of an error: the first 512 bytes of what the service answered, secrets removed.
 * Redacted *before* the cut (over a window larger than any token) so a secret straddling the cut
 * cannot survive half-matched.
 *
 * @example
 * errorDetail(Buffer.from('{"error":"out of stock"}'), [token]) // '{"error":"out of stock"}'
 */
export function errorDetail(body: Uint8Array, knownSecrets: readonly string[]): string {
  const redacted = redactSecrets(cutUtf8(body, DETAIL_WINDOW_BYTES), knownSecrets);
  return cutUtf8(Buffer.from(redacted), DETAIL_BYTES);
}
