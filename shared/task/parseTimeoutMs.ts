import { InvalidTaskError } from '../errors/meshErrors.ts';

const MAX_TIMEOUT_MS = 900_000;

/**
 * The task's per-attempt `timeoutMs`, if set: an integer up to Lambda's 15 minutes.
 * @throws InvalidTaskError
 */
export function parseTimeoutMs(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw new InvalidTaskError(`timeoutMs must be an integer from 1 to ${MAX_TIMEOUT_MS} (Lambda's 15 minutes)`);
  }
  return value;
}
