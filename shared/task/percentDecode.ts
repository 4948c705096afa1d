const ESCAPE = /%[0-9A-Fa-f]{2}/g;
// fatal: invalid UTF-8 (overlong forms such as %C0%AE for ".", encoded surrogates) is an error,
// not silently replaced, because some old decoders read overlong forms as the ASCII they mimic.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * One round of percent-decoding: every valid `%XX` escape becomes its byte, the bytes are read as
 * UTF-8, and a `%` not followed by two hex digits stays as it is. Returns `undefined` when the
 * bytes are not valid UTF-8. The input must be well-formed Unicode (no lone surrogates).
 */
export function percentDecode(text: string): string | undefined {
  if (!text.includes('%')) return text;
  const parts: Buffer[] = [];
  let last = 0;
  for (const match of text.matchAll(ESCAPE)) {
    parts.push(Buffer.from(text.slice(last, match.index), 'utf8'), Buffer.of(Number.parseInt(match[0].slice(1), 16)));
    last = match.index + 3;
  }
  parts.push(Buffer.from(text.slice(last), 'utf8'));
  try {
    return utf8.decode(Buffer.concat(parts));
  } catch {
    return undefined;
  }
}
