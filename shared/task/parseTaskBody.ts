import type { HttpMethod } from '../catalog/catalogTypes.ts';
import { InvalidTaskError } from '../errors/meshErrors.ts';
import type { HttpTaskBody } from './httpTask.ts';
import { isPlainObject } from './isPlainObject.ts';
import { quoteForMessage } from './quoteForMessage.ts';
import { TaskLimits } from './taskLimits.ts';

// RFC 9110 media type: token "/" token, then parameters in visible ASCII.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[\\t ]*;[\\t\\x20-\\x7e]*)?$`);
// Standard alphabet (RFC 4648 section 4), padding optional; no whitespace, no base64url.
const BASE64 = /^[A-Za-z0-9+/]*(={0,2})$/;

/**
 * The task's `body` (any JSON value, sent as application/json) or `rawBody`
 * (`{ contentType, base64 }`); at most one, and neither with GET or HEAD. A field present with
 * the value `null` is a body (the JSON value null), not an absent one.
 * @throws InvalidTaskError
 */
export function parseTaskBody(body: unknown, rawBody: unknown, method: HttpMethod): HttpTaskBody | undefined {
  if (body === undefined && rawBody === undefined) return undefined;
  if (body !== undefined && rawBody !== undefined) throw new InvalidTaskError('body and rawBody cannot both be given');
  const field = body === undefined ? 'rawBody' : 'body';
  if (method === 'GET' || method === 'HEAD') throw new InvalidTaskError(`${field} is not allowed with ${method}`);
  return body === undefined ? parseRawBody(rawBody) : { kind: 'json', value: assertJson(body) };
}

function assertJson(value: unknown): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    // Cycles, BigInt or nesting too deep for the stack: only possible for input that did not come from JSON text.
    throw new InvalidTaskError('body cannot be serialized as JSON (a cycle, a BigInt, or nesting too deep)', { cause: error });
  }
  if (text === undefined) throw new InvalidTaskError('body cannot be serialized as JSON');
  return value;
}

function parseRawBody(value: unknown): HttpTaskBody {
  if (!isPlainObject(value)) throw new InvalidTaskError('rawBody must be an object { "contentType": ..., "base64": ... }');
  for (const key of Object.keys(value)) {
    if (key !== 'contentType' && key !== 'base64') {
      throw new InvalidTaskError(`rawBody has an unknown field ${quoteForMessage(key)}; allowed: contentType, base64`);
    }
  }
  const contentType = Object.hasOwn(value, 'contentType') ? value.contentType : undefined;
  const base64 = Object.hasOwn(value, 'base64') ? value.base64 : undefined;
  if (typeof contentType !== 'string' || contentType.length === 0) {
    throw new InvalidTaskError('rawBody.contentType is required and must be a non-empty string');
  }
  if (contentType.length > TaskLimits.maxContentTypeLength || !MEDIA_TYPE.test(contentType)) {
    throw new InvalidTaskError(
      `rawBody.contentType must be a media type such as "application/xml; charset=utf-8" (at most ${TaskLimits.maxContentTypeLength} characters)`,
    );
  }
  if (typeof base64 !== 'string') throw new InvalidTaskError('rawBody.base64 is required and must be a string');
  if (!isBase64(base64)) {
    throw new InvalidTaskError('rawBody.base64 is not valid base64 (standard alphabet A-Z a-z 0-9 + /, "=" padding, no whitespace)');
  }
  return { kind: 'raw', contentType, bytes: Buffer.from(base64, 'base64') };
}

// Length rules instead of one big pattern keep this linear and stack-safe on megabyte inputs.
function isBase64(text: string): boolean {
  const match = BASE64.exec(text);
  if (match === null) return false;
  return match[1] === '' ? text.length % 4 !== 1 : text.length % 4 === 0;
}
