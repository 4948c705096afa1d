import { BadResponseError } from '../errors/meshErrors.ts';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/** The media type without parameters, lower-case (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(contentType: string | string[] | undefined): string {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isJsonMediaType(type: string): boolean {
  return JSON_TYPE.test(type);
}

/**
 * The body as state output: parsed JSON for JSON types, a string for text/*, base64 otherwise,
 * and `null` when there is no body (HEAD, 204, 304) whatever the content type.
 *
 * @example
 * parseResponseBody('application/json', Buffer.from('{"a":1}')) // { a: 1 }
 */
export function parseResponseBody(contentType: string | string[] | undefined, body: Buffer): unknown {
  if (body.length === 0) return null;
  const type = mediaType(contentType);
  if (isJsonMediaType(type)) {
    try {
      return JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new BadResponseError(`Response declared ${type} but is not valid JSON`, { cause: error });
    }
  }
  if (type.startsWith('text/')) return body.toString('utf8');
  return body.toString('base64');
}
