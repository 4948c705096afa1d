/**
 * gRPC's Length-Prefixed-Message framing (PROTOCOL-HTTP2.md): per message, a compressed flag (0:
 * the invoker never compresses), a 4-byte big-endian length, then the bytes.
 *
 * @example
 * encodeGrpcFrames([Uint8Array.of(0x0a, 0x01, 0x41)]) // <00 00 00 00 03 0a 01 41>
 */
export function encodeGrpcFrames(messages: readonly Uint8Array[]): Buffer {
  const size = messages.reduce((total, message) => total + 5 + message.length, 0);
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const message of messages) {
    out.writeUInt8(0, offset);
    out.writeUInt32BE(message.length, offset + 1);
    out.set(message, offset + 5);
    offset += 5 + message.length;
  }
  return out;
}
