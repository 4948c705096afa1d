import { InvalidTaskError } from '../errors/meshErrors.ts';
import { isPlainObject } from './isPlainObject.ts';
import { quoteForMessage } from './quoteForMessage.ts';

/**
 * The first check of every task: a JSON object whose top-level fields are all known. A typo
 * ("pathparams", "timeout") must fail loudly rather than be ignored.
 *
 * @example
 * assertTaskObject(input, ['service', 'rpc', 'message']);
 */
export function assertTaskObject(input: unknown, fields: readonly string[]): asserts input is Record<string, unknown> {
  if (!isPlainObject(input)) throw new InvalidTaskError('task input must be a JSON object');
  for (const key of Object.keys(input)) {
    if (!fields.includes(key)) {
      throw new InvalidTaskError(`unknown field ${quoteForMessage(key)}; allowed fields: ${fields.join(', ')}`);
    }
  }
}
