import { InvalidTaskError } from '../errors/meshErrors.ts';
import { childField } from './childField.ts';
import { isPlainObject } from './isPlainObject.ts';
import { setOwnField } from './setOwnField.ts';
import { TaskLimits } from './taskLimits.ts';

/**
 * The task's `pathParams`: an object of strings (finite numbers are accepted and turned into
 * strings, since ASL often passes ids as numbers). Placeholders are matched in `fillPathTemplate`.
 * @throws InvalidTaskError
 */
export function parsePathParams(value: unknown): Record<string, string> {
  const params: Record<string, string> = {};
  if (value === undefined) return params;
  if (!isPlainObject(value)) throw new InvalidTaskError('pathParams must be an object of strings');
  const entries = Object.entries(value);
  if (entries.length > TaskLimits.maxPathParams) {
    throw new InvalidTaskError(`pathParams has more than ${TaskLimits.maxPathParams} entries`);
  }
  for (const [name, raw] of entries) {
    const field = childField('pathParams', name);
    let text: string;
    if (typeof raw === 'string') text = raw;
    else if (typeof raw === 'number' && Number.isFinite(raw)) text = String(raw);
    else throw new InvalidTaskError(`${field} must be a string or a finite number`);
    if (text.length > TaskLimits.maxPathParamLength) {
      throw new InvalidTaskError(`${field} is longer than ${TaskLimits.maxPathParamLength} characters`);
    }
    setOwnField(params, name, text);
  }
  return params;
}
