import { InvalidTaskError } from '../errors/meshErrors.ts';
import { childField } from './childField.ts';
import type { QueryValue } from './httpTask.ts';
import { isPlainObject } from './isPlainObject.ts';
import { setOwnField } from './setOwnField.ts';
import { TaskLimits } from './taskLimits.ts';

/**
 * The task's `query`: each value a string, finite number or boolean, or an array of them
 * (repeated keys). Lengths and encodability are checked when the target is built
 * (`encodeQueryString`), which `parseHttpTask` does before returning.
 * @throws InvalidTaskError
 */
export function parseQuery(value: unknown): Record<string, QueryValue | QueryValue[]> {
  const query: Record<string, QueryValue | QueryValue[]> = {};
  if (value === undefined) return query;
  if (!isPlainObject(value)) throw new InvalidTaskError('query must be an object');
  let pairs = 0;
  for (const [key, raw] of Object.entries(value)) {
    const field = childField('query', key);
    if (key === '') throw new InvalidTaskError('query keys must not be empty');
    if (Array.isArray(raw)) {
      pairs += raw.length;
      if (pairs > TaskLimits.maxQueryPairs) throw new InvalidTaskError(`query has more than ${TaskLimits.maxQueryPairs} values`);
      const items: QueryValue[] = [];
      raw.forEach((item: unknown, index) => items.push(queryScalar(item, childField(field, index))));
      setOwnField(query, key, items);
    } else {
      pairs += 1;
      if (pairs > TaskLimits.maxQueryPairs) throw new InvalidTaskError(`query has more than ${TaskLimits.maxQueryPairs} values`);
      setOwnField(query, key, queryScalar(raw, field));
    }
  }
  return query;
}

function queryScalar(value: unknown, field: string): QueryValue {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new InvalidTaskError(`${field} must be a string, a finite number, a boolean, or an array of them`);
}
