import { describe, expect, it } from 'vitest';
import { decodeGrpcFrames } from '../../shared/grpc/decodeGrpcFrames.ts';
import { encodeGrpcFrames } from '../../shared/grpc/encodeGrpcFrames.ts';

describe('Function: encodeGrpcFrames / decodeGrpcFrames', () => {
  it('frames each message with a zero compressed flag and a big-endian length', () => {
    const framed = encodeGrpcFrames([Uint8Array.of(0x0a, 0x01, 0x41), new Uint8Array(0)]);
    expect([...framed]).toEqual([0, 0, 0, 0, 3, 0x0a, 0x01, 0x41, 0, 0, 0, 0, 0]);
    expect(decodeGrpcFrames(framed).map((message) => [...message])).toEqual([[0x0a, 0x01, 0x41], []]);
  });

  it('reads an empty body as no messages', () => {
    expect(decodeGrpcFrames(Buffer.alloc(0))).toEqual([]);
  });

  it.each([
    ['a body cut inside a frame header', Buffer.from([0, 0, 0])],
    ['a body cut inside a message', Buffer.from([0, 0, 0, 0, 5, 1, 2])],
    ['a compressed message', Buffer.from([1, 0, 0, 0, 1, 7])],
  ])('fails %s as Mesh.BadResponse', (_what, body) => {
    expect(() => decodeGrpcFrames(body)).toThrow(expect.objectContaining({ name: 'Mesh.BadResponse' }));
  });
});
