import { InvalidTaskError, MeshError } from '../errors/meshErrors.ts';
import { assertPathTemplate } from './assertPathTemplate.ts';
import { assertSafePath } from './assertSafePath.ts';
import { encodePath } from './encodePath.ts';
import { encodeQueryString } from './encodeQueryString.ts';
import { fillPathTemplate } from './fillPathTemplate.ts';
import type { HttpTask } from './httpTask.ts';
import { TaskLimits } from './taskLimits.ts';

/**
 * The request target sent to the ingress: the path template filled from `pathParams`, checked
 * (before and after filling, through every round of percent-decoding), percent-encoded where
 * needed, then `?` and the query string when there is a query.
 * Match the result against the service's prefixes with `pathMatchesPrefix`.
 * @example
 * buildRequestTarget({ ...task, path: '/v1/orders/{id}', pathParams: { id: 'A-17' }, query: { expand: ['a', 'b'] } })
 * // '/v1/orders/A-17?expand=a&expand=b'
 * @throws InvalidTaskError
 */
export function buildRequestTarget(task: Pick<HttpTask, 'path' | 'pathParams' | 'query'>): string {
  try {
    assertPathTemplate(task.path);
    const path = encodePath(fillPathTemplate(task.path, task.pathParams));
    assertSafePath(path);
    const query = encodeQueryString(task.query);
    const target = query === '' ? path : `${path}?${query}`;
    if (target.length > TaskLimits.maxTargetLength) {
      throw new InvalidTaskError(`path and query together are longer than ${TaskLimits.maxTargetLength} characters once encoded`);
    }
    return target;
  } catch (error) {
    if (error instanceof MeshError) throw error;
    // Only reachable with input that is not JSON data (a throwing getter, a Proxy): still a bad task.
    throw new InvalidTaskError('path, pathParams or query could not be read', { cause: error });
  }
}
