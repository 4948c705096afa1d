import { InvalidTaskError } from '../errors/meshErrors.ts';

const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

/**
 * The task's `idempotencyKey`, if set: 1-255 printable ASCII characters, so it is a valid header value.
 * @throws InvalidTaskError
 */
export function parseIdempotencyKey(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value)) {
    throw new InvalidTaskError('idempotencyKey must be 1-255 printable ASCII characters (0x20-0x7e)');
  }
  return value;
}
