import type { HttpMethod } from '../catalog/catalogTypes.ts';
import { InvalidTaskError } from '../errors/meshErrors.ts';
import { quoteForMessage } from './quoteForMessage.ts';

const METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The task's `method`, GET when absent. Upper-case only, as the contract lists them: method names
 * are case-sensitive in HTTP, and "post" is a different (unknown) method to a server.
 * @throws InvalidTaskError
 */
export function parseHttpMethod(value: unknown): HttpMethod {
  if (value === undefined) return 'GET';
  const method = METHODS.find((candidate) => candidate === value);
  if (method !== undefined) return method;
  const shown = typeof value === 'string' ? ` (got ${quoteForMessage(value)})` : '';
  throw new InvalidTaskError(`method must be one of ${METHODS.join(', ')}${shown}`);
}
