import { InvalidTaskError } from '../errors/meshErrors.ts';
import { hasLoneSurrogate } from './hasLoneSurrogate.ts';

// A valid escape is kept; any character outside RFC 3986 pchar and "/" is encoded (UTF-8 for
// non-ASCII). "%" is outside the kept set, so a stray one would become %25, never pass raw.
const NEEDS_ENCODING = /%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/gu;

/**
 * Percent-encodes what may not appear raw in a request path (spaces, non-ASCII, controls, quotes,
 * braces...), keeping existing `%XX` escapes as they are.
 * @example encodePath('/files/ünï code') // '/files/%C3%BCn%C3%AF%20code'
 */
export function encodePath(path: string): string {
  if (hasLoneSurrogate(path)) throw new InvalidTaskError('path is not well-formed Unicode (lone surrogate)');
  return path.replace(NEEDS_ENCODING, (match) => (match.length === 3 && match[0] === '%' ? match : encodeURIComponent(match)));
}
