import { fromBinary } from '@bufbuild/protobuf';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { FileDescriptorProtoSchema, type FileDescriptorProto } from '@bufbuild/protobuf/wkt';
import { BadResponseError, UnknownServiceError } from '../errors/meshErrors.ts';
import { GrpcStatusCode } from './grpcStatusCode.ts';
import { GrpcStatusFailure, REFLECTION_ANSWERED } from './grpcStatusFailure.ts';
import type { GrpcReply } from './sendGrpcCall.ts';

/** v1 first; servers older than 2023 (and some proxies' allow-lists) only know v1alpha. Same messages in both. */
export const REFLECTION_PATHS = [
  '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
  '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo',
] as const;

/** Sends request messages on one ServerReflectionInfo stream and returns the reply. */
export type ReflectionCall = (path: string, messages: readonly Uint8Array[]) => Promise<GrpcReply>;

// ServerReflectionRequest / ServerReflectionResponse field numbers (grpc/reflection/v1/reflection.proto).
const FILE_BY_FILENAME = 3;
const FILE_CONTAINING_SYMBOL = 4;
const FILE_DESCRIPTOR_RESPONSE = 4;
const ERROR_RESPONSE = 7;
/** Import chains deeper than this are not worth more round trips: the schema is refused instead. */
const MAX_ROUNDS = 8;

/**
 * The files that define gRPC service `symbol` and everything they import, from server reflection.
 * The bidirectional stream is used one round at a time: each round sends every request it has and
 * half-closes, so it is a plain request/response exchange (what undici's `request` can do). Round 1
 * asks for the file containing the service; later rounds ask by file name for imports still missing.
 *
 * @example
 * const files = await fetchReflectedFiles('inventory.v1.Inventory', (path, messages) => sendGrpcCall(pool, { path, messages, ... }));
 * @throws GrpcStatusFailure when reflection answers a non-OK status; UnknownServiceError when the server does not know the service
 */
export async function fetchReflectedFiles(symbol: string, call: ReflectionCall): Promise<FileDescriptorProto[]> {
  const files = new Map<string, FileDescriptorProto>();
  const requested = new Set<string>();
  let path: string = REFLECTION_PATHS[0];
  let requests = [reflectionRequest(FILE_CONTAINING_SYMBOL, symbol)];
  for (let round = 1; requests.length > 0; round++) {
    if (round > MAX_ROUNDS) throw new BadResponseError(`Server reflection did not complete the schema of ${symbol} in ${MAX_ROUNDS} rounds`);
    let reply = await call(path, requests);
    if (round === 1 && reply.code === GrpcStatusCode.UNIMPLEMENTED) {
      path = REFLECTION_PATHS[1];
      reply = await call(path, requests);
    }
    if (reply.code !== GrpcStatusCode.OK) throw new GrpcStatusFailure(reply, REFLECTION_ANSWERED);
    for (const message of reply.messages) {
      const response = readReflectionResponse(message);
      // A missing import is left for createSchemaRegistry to fill (well-known types) or refuse.
      if (response.error !== undefined && round === 1) {
        throw new UnknownServiceError(`gRPC service ${symbol} is not known to the server's reflection (${response.error.slice(0, 200)})`);
      }
      for (const bytes of response.files) {
        const file = fromBinary(FileDescriptorProtoSchema, bytes);
        if (!files.has(file.name)) files.set(file.name, file);
      }
    }
    const missing = new Set<string>();
    for (const file of files.values()) {
      for (const dependency of file.dependency) {
        if (!files.has(dependency) && !requested.has(dependency)) missing.add(dependency);
      }
    }
    for (const name of missing) requested.add(name);
    requests = [...missing].map((name) => reflectionRequest(FILE_BY_FILENAME, name));
  }
  return [...files.values()];
}

function reflectionRequest(field: number, value: string): Uint8Array {
  return new BinaryWriter().tag(field, WireType.LengthDelimited).string(value).finish();
}

function readReflectionResponse(bytes: Uint8Array): { files: Uint8Array[]; error?: string } {
  const files: Uint8Array[] = [];
  let error: string | undefined;
  try {
    const reader = new BinaryReader(bytes);
    while (reader.pos < reader.len) {
      const [field, wireType] = reader.tag();
      if (field === FILE_DESCRIPTOR_RESPONSE && wireType === WireType.LengthDelimited) {
        const inner = new BinaryReader(reader.bytes());
        while (inner.pos < inner.len) {
          const [innerField, innerType] = inner.tag();
          if (innerField === 1 && innerType === WireType.LengthDelimited) files.push(inner.bytes());
          else inner.skip(innerType);
        }
      } else if (field === ERROR_RESPONSE && wireType === WireType.LengthDelimited) {
        const inner = new BinaryReader(reader.bytes());
        let code = 0;
        let message = '';
        while (inner.pos < inner.len) {
          const [innerField, innerType] = inner.tag();
          if (innerField === 1 && innerType === WireType.Varint) code = inner.int32();
          else if (innerField === 2 && innerType === WireType.LengthDelimited) message = inner.string();
          else inner.skip(innerType);
        }
        error = `code ${code}${message ? `: ${message}` : ''}`;
      } else {
        reader.skip(wireType);
      }
    }
  } catch (cause) {
    throw new BadResponseError('Server reflection answered a message that is not a ServerReflectionResponse', { cause });
  }
  return { files, ...(error === undefined ? {} : { error }) };
}
