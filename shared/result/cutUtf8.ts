/** The first `maxBytes` bytes of `bytes` as text, cut on a character boundary (no broken UTF-8 sequence). */
export function cutUtf8(bytes: Uint8Array, maxBytes: number): string {
  if (bytes.length <= maxBytes) return new TextDecoder().decode(bytes);
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) so the cut lands before a lead byte.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}
