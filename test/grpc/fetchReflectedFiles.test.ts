import { create, toBinary } from '@bufbuild/protobuf';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { fetchReflectedFiles, REFLECTION_PATHS, type ReflectionCall } from '../../shared/grpc/fetchReflectedFiles.ts';
import type { GrpcReply } from '../../shared/grpc/sendGrpcCall.ts';

// The reflection *server* here is a function: the integration suite runs the real @grpc/reflection
// through the ingress (v1). This covers what that server never does: answer only v1alpha, split a
// schema over several rounds, report an error.

const files = {
  'shop.proto': create(FileDescriptorProtoSchema, { name: 'shop.proto', package: 'shop', dependency: ['money.proto'] }),
  'money.proto': create(FileDescriptorProtoSchema, { name: 'money.proto', package: 'money', dependency: ['google/protobuf/timestamp.proto'] }),
};

function reply(code: number, messages: Uint8Array[] = []): GrpcReply {
  return { code, statusMessage: '', httpStatus: 200, grpc: true, metadata: {}, messages, body: Buffer.alloc(0) };
}

/** ServerReflectionResponse with a file_descriptor_response (4) or an error_response (7). */
function response(found: (keyof typeof files)[] | { error: string }): Uint8Array {
  const writer = new BinaryWriter();
  if (Array.isArray(found)) {
    const inner = new BinaryWriter();
    for (const name of found) inner.tag(1, WireType.LengthDelimited).bytes(toBinary(FileDescriptorProtoSchema, files[name]));
    writer.tag(4, WireType.LengthDelimited).bytes(inner.finish());
  } else {
    writer.tag(7, WireType.LengthDelimited).bytes(new BinaryWriter().tag(1, WireType.Varint).int32(5).tag(2, WireType.LengthDelimited).string(found.error).finish());
  }
  return writer.finish();
}

/** The (field, value) of a ServerReflectionRequest. */
function request(bytes: Uint8Array): [number, string] {
  const reader = new BinaryReader(bytes);
  const [field] = reader.tag();
  return [field, reader.string()];
}

describe('Function: fetchReflectedFiles', () => {
  it('falls back to v1alpha and fetches missing imports by file name in later rounds', async () => {
    // Prepare
    const calls: [string, [number, string][]][] = [];
    const call: ReflectionCall = async (path, messages) => {
      calls.push([path, messages.map(request)]);
      if (path === REFLECTION_PATHS[0]) return reply(12);
      const [[field, value]] = messages.map(request) as [[number, string]];
      if (field === 4) return reply(0, [response(['shop.proto'])]);
      return reply(0, [value === 'money.proto' ? response(['money.proto']) : response({ error: 'not found' })]);
    };
    // Act
    const found = await fetchReflectedFiles('shop.Shop', call);
    // Assess
    expect(found.map((file) => file.name)).toEqual(['shop.proto', 'money.proto']);
    expect(calls).toEqual([
      [REFLECTION_PATHS[0], [[4, 'shop.Shop']]],
      [REFLECTION_PATHS[1], [[4, 'shop.Shop']]],
      [REFLECTION_PATHS[1], [[3, 'money.proto']]],
      // A well-known import the server does not have is asked for once, then left to the invoker's own copy.
      [REFLECTION_PATHS[1], [[3, 'google/protobuf/timestamp.proto']]],
    ]);
  });

  it('fails a service the server does not know with Mesh.UnknownService', async () => {
    const call: ReflectionCall = async () => reply(0, [response({ error: 'symbol not found' })]);
    await expect(fetchReflectedFiles('billing.Billing', call)).rejects.toMatchObject({
      name: 'Mesh.UnknownService',
      text: 'gRPC service billing.Billing is not known to the server\'s reflection (code 5: symbol not found)',
    });
  });

  it('passes a non-OK status on as a GrpcStatusFailure', async () => {
    const call: ReflectionCall = async () => reply(16);
    await expect(fetchReflectedFiles('shop.Shop', call)).rejects.toMatchObject({ name: 'GrpcStatusFailure', reply: { code: 16 } });
  });

  it('fails an answer that is not a ServerReflectionResponse as Mesh.BadResponse', async () => {
    const call: ReflectionCall = async () => reply(0, [Uint8Array.of(0x22, 0xff)]);
    await expect(fetchReflectedFiles('shop.Shop', call)).rejects.toMatchObject({ name: 'Mesh.BadResponse' });
  });
});
