import { InvalidTaskError } from '../errors/meshErrors.ts';
import { percentDecode } from './percentDecode.ts';
import { TaskLimits } from './taskLimits.ts';

const ANY_FORBIDDEN = /[\\\r\n\0]/;
// A segment that is "." or ".." before any ";" (Tomcat and Jetty read "..;x" as "..").
const DOT_SEGMENT = /(?:^|\/)(\.\.?)(?:[;/]|$)/;
const NON_ASCII = /[^\x00-\x7f]/;
const FORBIDDEN: ReadonlyArray<[string, string]> = [
  ['\\', 'a backslash'],
  ['\r', 'a carriage return (CR)'],
  ['\n', 'a line feed (LF)'],
  ['\0', 'a NUL character'],
];

/**
 * Checks a filled, encoded path through every round of percent-decoding until it stops changing.
 * Later rounds matter because an ingress and the service behind it may each decode once
 * (`%252e%252e` is `..` to the second), so a value that is only harmless to the first is refused.
 * A segment is also refused when its part before ";" is "." or ".." (Tomcat and Jetty read
 * `..;x` as `..`), and when decoding yields "//" at the start (a host to some frameworks).
 * @throws InvalidTaskError
 */
export function assertSafePath(encodedPath: string): void {
  let current = encodedPath;
  for (let depth = 1; depth <= TaskLimits.maxDecodeDepth; depth += 1) {
    const decoded = percentDecode(current);
    if (decoded === undefined) throw new InvalidTaskError('path does not percent-decode to valid UTF-8');
    assertDecodedLevel(decoded, depth);
    // Servers that apply Unicode compatibility normalization read "．．" (U+FF0E) as ".." and
    // "＼" (U+FF3C) as "\\"; the normalized form must pass the same checks.
    // ASCII is its own NFKC form: only a path with other characters needs normalizing.
    if (NON_ASCII.test(decoded)) {
      const normalized = decoded.normalize('NFKC');
      if (normalized !== decoded) assertDecodedLevel(normalized, depth, ' and Unicode NFKC normalization');
    }
    if (decoded === current) return;
    current = decoded;
  }
  throw new InvalidTaskError(`path is percent-encoded more than ${TaskLimits.maxDecodeDepth} times over`);
}

function assertDecodedLevel(decoded: string, depth: number, extra = ''): void {
  const after = depth === 1 ? `(checked after percent-decoding${extra})` : `after ${depth} rounds of percent-decoding${extra}`;
  if (ANY_FORBIDDEN.test(decoded)) {
    const [, what] = FORBIDDEN.find(([char]) => decoded.includes(char))!;
    throw new InvalidTaskError(`path (pathParams filled in) holds ${what} ${after}`);
  }
  if (decoded.startsWith('//')) throw new InvalidTaskError(`path (pathParams filled in) starts with "//" ${after}`);
  const dotSegment = DOT_SEGMENT.exec(decoded);
  if (dotSegment) throw new InvalidTaskError(`path (pathParams filled in) holds a "${dotSegment[1]}" segment ${after}`);
}
