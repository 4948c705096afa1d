import { BadResponseError } from '../errors/meshErrors.ts';

/**
 * The messages in a complete gRPC response body. A frame cut short, or a compressed one (the
 * invoker offers only `identity`, so a server may not compress), is `Mesh.BadResponse`.
 *
 * @example
 * decodeGrpcFrames(Buffer.from([0, 0, 0, 0, 1, 0x08])) // [<08>]
 */
export function decodeGrpcFrames(body: Buffer): Uint8Array[] {
  const messages: Uint8Array[] = [];
  let offset = 0;
  while (offset < body.length) {
    if (body.length - offset < 5) throw new BadResponseError('gRPC response ends inside a frame header');
    const compressed = body.readUInt8(offset);
    const length = body.readUInt32BE(offset + 1);
    if (compressed !== 0) throw new BadResponseError('gRPC response message is compressed, which the invoker did not offer');
    if (body.length - offset - 5 < length) throw new BadResponseError('gRPC response ends inside a message');
    messages.push(body.subarray(offset + 5, offset + 5 + length));
    offset += 5 + length;
  }
  return messages;
}
