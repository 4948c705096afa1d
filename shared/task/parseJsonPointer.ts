import { InvalidTaskError } from '../errors/meshErrors.ts';
import { TaskLimits } from './taskLimits.ts';

// RFC 6901: "" or "/"-separated reference tokens in which "~" appears only as "~0" or "~1".
const POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/;

/**
 * The task's `select`: a JSON Pointer (RFC 6901), e.g. "/data/order" or "/items/0".
 * @throws InvalidTaskError
 */
export function parseJsonPointer(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InvalidTaskError('select must be a string (a JSON Pointer such as "/data/order")');
  if (value.length > TaskLimits.maxSelectLength) {
    throw new InvalidTaskError(`select is longer than ${TaskLimits.maxSelectLength} characters`);
  }
  if (!POINTER.test(value)) {
    throw new InvalidTaskError('select must be a JSON Pointer (RFC 6901): "" or starting with "/", with "~" only as "~0" or "~1"');
  }
  return value;
}
