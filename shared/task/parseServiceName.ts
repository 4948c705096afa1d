import { InvalidTaskError } from '../errors/meshErrors.ts';
import { quoteForMessage } from './quoteForMessage.ts';

const SERVICE = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The task's `service`: only a catalog key. A URL or host here would let the task choose where
 * the request goes.
 * @throws InvalidTaskError
 */
export function parseServiceName(value: unknown): string {
  if (typeof value !== 'string') throw new InvalidTaskError('service is required and must be a string');
  if (!SERVICE.test(value)) {
    throw new InvalidTaskError(`service ${quoteForMessage(value)} must be a catalog key matching ^[a-z0-9][a-z0-9-]{0,62}$`);
  }
  return value;
}
