import { fromBinary, toJson, type DescMessage, type JsonValue, type Registry } from '@bufbuild/protobuf';
import { BadResponseError } from '../errors/meshErrors.ts';

/**
 * A response message as proto3 JSON: lowerCamelCase names, 64-bit integers as strings, enums by
 * name, bytes as base64, well-known types in their JSON forms. Fields with implicit presence are
 * written even at their default (0, "", false, []): a JSONPath or JSONata reference in the next
 * state must not fail because a count happened to be zero.
 *
 * @example
 * decodeGrpcMessage(method.output, bytes, registry) // { reservationId: 'res-1', quantity: 3, backordered: 0 }
 * @throws BadResponseError when the bytes are not a message of that type
 */
export function decodeGrpcMessage(schema: DescMessage, bytes: Uint8Array, registry: Registry): JsonValue {
  try {
    return toJson(schema, fromBinary(schema, bytes), { registry, alwaysEmitImplicit: true });
  } catch (error) {
    throw new BadResponseError(`Response is not a valid ${schema.typeName}`, { cause: error });
  }
}
