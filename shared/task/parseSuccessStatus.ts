import { InvalidTaskError } from '../errors/meshErrors.ts';

/**
 * The task's `successStatus`: a non-empty array of distinct integer statuses 100-599, or
 * `undefined` (every 2xx). Distinct values mean at most 500 elements are ever looked at.
 * @throws InvalidTaskError
 */
export function parseSuccessStatus(value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidTaskError('successStatus must be a non-empty array of HTTP statuses');
  }
  const seen = new Set<number>();
  value.forEach((status: unknown, index) => {
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
      throw new InvalidTaskError(`successStatus[${index}] must be an integer from 100 to 599`);
    }
    if (seen.has(status)) throw new InvalidTaskError(`successStatus lists ${status} twice`);
    seen.add(status);
  });
  return [...seen];
}
