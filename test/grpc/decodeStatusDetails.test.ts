import { create, toBinary } from '@bufbuild/protobuf';
import { anyPack, DurationSchema, file_google_protobuf_struct, StructSchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { createSchemaRegistry } from '../../shared/grpc/createSchemaRegistry.ts';
import { decodeStatusDetails } from '../../shared/grpc/decodeStatusDetails.ts';
import { googleRpcRegistry } from '../../shared/grpc/googleRpcRegistry.ts';

const StatusSchema = googleRpcRegistry.getMessage('google.rpc.Status')!;
const ErrorInfoSchema = googleRpcRegistry.getMessage('google.rpc.ErrorInfo')!;
const RetryInfoSchema = googleRpcRegistry.getMessage('google.rpc.RetryInfo')!;

function status(details: { typeUrl: string; value: Uint8Array }[]): Uint8Array {
  return toBinary(StatusSchema, create(StatusSchema, { code: 9, message: 'no', details } as never));
}
const packed = (schema: Parameters<typeof anyPack>[0], value: object) => anyPack(schema, create(schema, value as never));

describe('Function: decodeStatusDetails', () => {
  it('renders google.rpc details as proto3 JSON and takes retryAfterSeconds from RetryInfo', () => {
    // Prepare
    const bytes = status([
      packed(ErrorInfoSchema, { reason: 'OUT_OF_STOCK', domain: 'inventory.example.com', metadata: { sku: 'B-2' } }),
      packed(RetryInfoSchema, { retryDelay: create(DurationSchema, { seconds: 1n, nanos: 200_000_000 }) }),
    ]);
    // Act
    const decoded = decodeStatusDetails(bytes, undefined, []);
    // Assess
    expect(decoded).toEqual({
      details: [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'OUT_OF_STOCK', domain: 'inventory.example.com', metadata: { sku: 'B-2' } },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.200s' },
      ],
      retryAfterSeconds: 2,
    });
  });

  it('uses the service schema for its own types and keeps unknown ones opaque', () => {
    const schema = createSchemaRegistry([file_google_protobuf_struct.proto]);
    const bytes = status([
      packed(StructSchema, { fields: {} }),
      { typeUrl: 'type.googleapis.com/acme.v1.Secretless', value: Uint8Array.of(8, 1) },
    ]);
    expect(decodeStatusDetails(bytes, schema, []).details).toEqual([
      { '@type': 'type.googleapis.com/google.protobuf.Struct', value: {} },
      { '@type': 'type.googleapis.com/acme.v1.Secretless', value: 'CAE=' },
    ]);
  });

  it('removes secrets and keeps only whole entries within 2 KiB', () => {
    // Prepare
    const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJtZXNoZ2F0ZSJ9.c2lnbmF0dXJlc2lnbmF0dXJl';
    const bytes = status([
      packed(ErrorInfoSchema, { reason: `echo ${token}` }),
      ...Array.from({ length: 10 }, () => packed(ErrorInfoSchema, { reason: 'x'.repeat(400) })),
    ]);
    // Act
    const decoded = decodeStatusDetails(bytes, undefined, [token]);
    // Assess
    expect(JSON.stringify(decoded)).not.toContain(token);
    expect(decoded.details[0]).toMatchObject({ reason: 'echo [redacted]' });
    expect(Buffer.byteLength(JSON.stringify(decoded.details))).toBeLessThanOrEqual(2048);
    expect(decoded.details.length).toBeGreaterThan(1);
    expect(decoded.details.length).toBeLessThan(11);
    for (const entry of decoded.details.slice(1)) expect(entry).toMatchObject({ reason: 'x'.repeat(400) });
  });

  it('ignores details that are not a google.rpc.Status', () => {
    expect(decodeStatusDetails(Uint8Array.of(0xff, 0xff, 0xff), undefined, [])).toEqual({ details: [] });
  });
});
