import { InvalidTaskError } from '../errors/meshErrors.ts';
import { childField } from './childField.ts';
import { hasLoneSurrogate } from './hasLoneSurrogate.ts';
import type { QueryValue } from './httpTask.ts';
import { TaskLimits } from './taskLimits.ts';

/**
 * The query string (without "?"): keys and values through `encodeURIComponent`, an array as the
 * key repeated once per element, in the object's own key order (JavaScript puts integer-like keys
 * first, in ascending order; every other key keeps the order the task gave). An empty array
 * adds nothing.
 * @example encodeQueryString({ expand: ['items', 'customer'], dryRun: false }) // 'expand=items&expand=customer&dryRun=false'
 * @throws InvalidTaskError
 */
export function encodeQueryString(query: Record<string, QueryValue | QueryValue[]>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    const field = childField('query', key);
    if (key === '') throw new InvalidTaskError('query keys must not be empty');
    assertQueryText(key, `query key ${field}`);
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (pairs.length + values.length > TaskLimits.maxQueryPairs) {
      throw new InvalidTaskError(`query has more than ${TaskLimits.maxQueryPairs} values`);
    }
    const encodedKey = encodeURIComponent(key);
    values.forEach((item, index) => {
      const itemField = Array.isArray(value) ? childField(field, index) : field;
      pairs.push(`${encodedKey}=${encodeURIComponent(queryText(item, itemField))}`);
    });
  }
  return pairs.join('&');
}

function queryText(value: unknown, field: string): string {
  if (typeof value === 'string') {
    assertQueryText(value, field);
    return value;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  throw new InvalidTaskError(`${field} must be a string, a finite number, a boolean, or an array of them`);
}

function assertQueryText(text: string, field: string): void {
  if (text.length > TaskLimits.maxQueryPartLength) {
    throw new InvalidTaskError(`${field} is longer than ${TaskLimits.maxQueryPartLength} characters`);
  }
  if (hasLoneSurrogate(text)) throw new InvalidTaskError(`${field} is not well-formed Unicode (lone surrogate)`);
}
