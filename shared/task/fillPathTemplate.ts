import { InvalidTaskError } from '../errors/meshErrors.ts';
import { childField } from './childField.ts';
import { hasLoneSurrogate } from './hasLoneSurrogate.ts';
import { quoteForMessage } from './quoteForMessage.ts';

const PLACEHOLDER = /\{([^{}]*)\}/g;
const PLACEHOLDER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Replaces every `{name}` in the template with `encodeURIComponent(pathParams[name])`, in one pass,
 * so a value can never introduce a placeholder, a "/", "?" or "#" of its own.
 * @throws InvalidTaskError for a malformed placeholder, a missing value, or a value not used
 * @example fillPathTemplate('/v1/orders/{id}', { id: 'A 17' }) // '/v1/orders/A%2017'
 */
export function fillPathTemplate(template: string, pathParams: Record<string, string>): string {
  // Most paths have no placeholder: then there is nothing to fill, and any parameter is unused.
  if (!template.includes('{') && !template.includes('}')) {
    const unused = Object.keys(pathParams)[0];
    if (unused !== undefined) throw new InvalidTaskError(`${childField('pathParams', unused)} is not used by path`);
    return template;
  }
  const used = new Set<string>();
  const filled = template.replace(PLACEHOLDER, (_match, name: string) => {
    if (!PLACEHOLDER_NAME.test(name)) {
      throw new InvalidTaskError(
        `path placeholder {${quoteForMessage(name).slice(1, -1)}} must be 1-64 letters, digits, "_" or "-"`,
      );
    }
    if (!Object.hasOwn(pathParams, name)) {
      throw new InvalidTaskError(`path placeholder {${name}} has no value in pathParams`);
    }
    const value = pathParams[name];
    const field = childField('pathParams', name);
    if (typeof value !== 'string') throw new InvalidTaskError(`${field} must be a string`);
    // An empty value would silently turn "/orders/{id}" into "/orders/", usually another endpoint.
    if (value === '') throw new InvalidTaskError(`${field} must not be empty`);
    if (hasLoneSurrogate(value)) throw new InvalidTaskError(`${field} is not well-formed Unicode (lone surrogate)`);
    used.add(name);
    return encodeURIComponent(value);
  });
  if (filled.includes('{') || filled.includes('}')) {
    throw new InvalidTaskError('path has an unmatched "{" or "}" (placeholders are written {name})');
  }
  for (const name of Object.keys(pathParams)) {
    // A value the template never uses is most likely a typo in a placeholder or parameter name.
    if (!used.has(name)) throw new InvalidTaskError(`${childField('pathParams', name)} is not used by path`);
  }
  return filled;
}
