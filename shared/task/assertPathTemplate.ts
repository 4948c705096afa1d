import { InvalidTaskError } from '../errors/meshErrors.ts';
import { hasLoneSurrogate } from './hasLoneSurrogate.ts';
import { TaskLimits } from './taskLimits.ts';

const FORBIDDEN_RAW: ReadonlyArray<[string, string]> = [
  ['\\', 'a backslash'],
  ['\r', 'a carriage return (CR)'],
  ['\n', 'a line feed (LF)'],
  ['\0', 'a NUL character'],
];
const ANY_FORBIDDEN_RAW = /[\\\r\n\0]/;
const FORBIDDEN_ESCAPE = /%(5c|0d|0a|00)/i;
const STRAY_PERCENT = /%(?![0-9A-Fa-f]{2})/;

/**
 * Checks the path template as the task gives it, before placeholders are filled, so the message
 * can say what is wrong with what the author wrote. `assertSafePath` checks the filled result.
 * @throws InvalidTaskError
 */
export function assertPathTemplate(path: unknown): asserts path is string {
  if (typeof path !== 'string') throw new InvalidTaskError('path is required and must be a string');
  if (path.length > TaskLimits.maxPathTemplateLength) {
    throw new InvalidTaskError(`path is longer than ${TaskLimits.maxPathTemplateLength} characters`);
  }
  // The catalog decides where a request goes; a task may only name a path on that host.
  if (!path.startsWith('/')) {
    throw new InvalidTaskError('path must be an absolute path starting with "/" (no scheme or host)');
  }
  if (path.startsWith('//')) throw new InvalidTaskError('path must not start with "//" (that names a host)');
  if (hasLoneSurrogate(path)) throw new InvalidTaskError('path is not well-formed Unicode (lone surrogate)');
  // One scan for the common case; which character it was is only worked out for the message.
  if (ANY_FORBIDDEN_RAW.test(path)) {
    const [, what] = FORBIDDEN_RAW.find(([char]) => path.includes(char))!;
    throw new InvalidTaskError(`path must not contain ${what}`);
  }
  const escape = FORBIDDEN_ESCAPE.exec(path);
  if (escape) throw new InvalidTaskError(`path must not contain the percent-encoded character ${escape[0]}`);
  if (path.includes('?')) throw new InvalidTaskError('path must not contain "?": put query parameters in "query"');
  if (path.includes('#')) throw new InvalidTaskError('path must not contain "#": fragments are never sent');
  // A stray "%" is refused, not re-encoded as %25: "/a%2" and "/a%2e" would then mean different
  // things by one character. Literal values belong in pathParams, which are encoded for the author.
  if (STRAY_PERCENT.test(path)) {
    throw new InvalidTaskError(
      'path has a "%" not followed by two hex digits; put literal values in pathParams, which are percent-encoded for you',
    );
  }
}
