import { InvalidTaskError } from '../errors/meshErrors.ts';
import { isPlainObject } from './isPlainObject.ts';
import { isRefusedHeaderName } from './isRefusedHeaderName.ts';
import { quoteForMessage } from './quoteForMessage.ts';
import { setOwnField } from './setOwnField.ts';
import { TaskLimits } from './taskLimits.ts';

const NAME = /^[a-z0-9-]+$/;
// RFC 9110 field-value characters without obs-text: HTAB, SP and visible ASCII. Anything else
// (CR, LF, NUL, other controls, non-ASCII with no agreed encoding) is refused here, not left for
// the HTTP client to throw on.
const VALUE = /^[\t\x20-\x7e]*$/;
const REFUSAL_HINTS: Readonly<Record<string, string>> = {
  'idempotency-key': ' (use the idempotencyKey field)',
  'content-type': ' (it follows body, or rawBody.contentType)',
};
/** How messages name the field: HTTP `headers`, or gRPC `metadata` (same rules, CONTRACT.md 3b). */
const WORDING = {
  headers: { field: 'headers', name: 'header name', item: 'header', names: 'names' },
  metadata: { field: 'metadata', name: 'metadata key', item: 'metadata key', names: 'keys' },
} as const;

/**
 * The task's `headers` (or a gRPC task's `metadata`, with `kind: 'metadata'`). Messages name the
 * header but never show its value: values may be secrets.
 * @throws InvalidTaskError
 */
export function parseTaskHeaders(value: unknown, kind: keyof typeof WORDING = 'headers'): Record<string, string> {
  const wording = WORDING[kind];
  const headers: Record<string, string> = {};
  if (value === undefined) return headers;
  if (!isPlainObject(value)) throw new InvalidTaskError(`${wording.field} must be an object of strings`);
  const entries = Object.entries(value);
  if (entries.length > TaskLimits.maxHeaders) throw new InvalidTaskError(`${wording.field} has more than ${TaskLimits.maxHeaders} entries`);
  let bytes = 0;
  for (const [name, raw] of entries) {
    assertHeaderName(name, wording);
    const field = `${wording.field}.${name}`;
    if (typeof raw !== 'string') throw new InvalidTaskError(`${field} must be a string`);
    if (raw.length > TaskLimits.maxHeaderValueLength) {
      throw new InvalidTaskError(`${field} is longer than ${TaskLimits.maxHeaderValueLength} characters`);
    }
    if (!VALUE.test(raw)) {
      throw new InvalidTaskError(
        `${field} must hold only visible ASCII, spaces and tabs (no CR, LF, NUL or other control characters)`,
      );
    }
    bytes += name.length + raw.length;
    if (bytes > TaskLimits.maxHeaderBytes) {
      throw new InvalidTaskError(`${wording.field} are larger than ${TaskLimits.maxHeaderBytes} bytes together`);
    }
    setOwnField(headers, name, raw);
  }
  return headers;
}

function assertHeaderName(name: string, wording: (typeof WORDING)[keyof typeof WORDING]): void {
  if (name.length === 0) throw new InvalidTaskError(`${wording.name}s must not be empty`);
  if (name.length > TaskLimits.maxHeaderNameLength) {
    throw new InvalidTaskError(`${wording.name} ${quoteForMessage(name)} is longer than ${TaskLimits.maxHeaderNameLength} characters`);
  }
  if (!NAME.test(name)) {
    // Upper case is refused rather than folded: HTTP/2 requires lower-case names, and folding
    // would let "X-Tenant" and "x-tenant" collide silently.
    const hint = NAME.test(name.toLowerCase()) ? ` (${wording.names} must be lower-case)` : '';
    throw new InvalidTaskError(`${wording.name} ${quoteForMessage(name)} must match ^[a-z0-9-]+$${hint}`);
  }
  if (isRefusedHeaderName(name)) {
    const hint = wording.field === 'headers' || name === 'idempotency-key' ? REFUSAL_HINTS[name] : undefined;
    const why = hint ?? ' (the invoker or the mesh sets it)';
    throw new InvalidTaskError(`${wording.item} ${quoteForMessage(name)} may not be set by a task${why}`);
  }
}
