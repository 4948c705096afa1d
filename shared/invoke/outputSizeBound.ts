/**
 * JSON.stringify never writes more than this many bytes for one byte (or character) it is given:
 * a control character in text becomes `\u00XX` (6); a re-serialized JSON number grows at most
 * 5.25× (`1e20` becomes 21 digits); base64 is 4/3.
 */
const MAX_EXPANSION = 6;
/** Room for `meta` (service ≤ 63 characters, request id, idempotency key ≤ 255), keys and braces. */
const FIXED_PART_BYTES = 4096;

/**
 * An upper bound of the serialized size of state output built from this body and these
 * headers, computed without serializing it: when the bound is under the output cap, the check
 * that would serialize the whole output can be skipped (most answers; a 40 KB body under the
 * default cap).
 *
 * @example
 * outputSizeBound(Buffer.from('{"id":7}'), { 'content-type': 'application/json' }) // 4096 + 6 × (8 + 28)
 */
export function outputSizeBound(body: Buffer, headers: Record<string, string>): number {
  let characters = body.length;
  for (const name in headers) characters += name.length + headers[name]!.length;
  return FIXED_PART_BYTES + MAX_EXPANSION * characters;
}
