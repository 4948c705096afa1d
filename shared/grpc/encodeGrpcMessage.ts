import { fromJson, toBinary, type DescMessage, type JsonValue, type Registry } from '@bufbuild/protobuf';
import { InvalidTaskError } from '../errors/meshErrors.ts';

const FROM_JSON = ' from JSON: ';

/**
 * The task's `message` (proto3 JSON) as the request's bytes. Unknown fields are refused, like unknown
 * task fields: a misspelt field must not be silently dropped. The error names the field but not
 * the value, which may be personal data.
 *
 * @example
 * encodeGrpcMessage(method.input, { sku: 'B-2', quantity: 3 }, registry) // Uint8Array
 * @throws InvalidTaskError
 */
export function encodeGrpcMessage(schema: DescMessage, message: Record<string, unknown>, registry: Registry): Uint8Array {
  try {
    return toBinary(schema, fromJson(schema, message as JsonValue, { registry, ignoreUnknownFields: false }));
  } catch (error) {
    throw new InvalidTaskError(`message does not fit ${schema.typeName}: ${describe(String((error as Error).message))}`, { cause: error });
  }
}

function describe(text: string): string {
  const at = text.indexOf(FROM_JSON);
  if (at < 0) return 'it is not valid proto3 JSON';
  const where = text.slice(0, at).replace(/^cannot decode /, '');
  const reason = text.slice(at + FROM_JSON.length);
  if (/^key "[^"]{0,100}" is unknown$/.test(reason)) return `${where}: ${reason}`;
  const withoutValues = reason
    .replace(/got .*$/, 'got a value that does not fit')
    .replace(/: \S+ out of range$/, ': value out of range')
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
  return `${where}: ${withoutValues}`.slice(0, 300);
}
