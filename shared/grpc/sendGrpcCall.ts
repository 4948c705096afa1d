import type { IncomingHttpHeaders } from 'node:http';
import { setOwnField } from '../task/setOwnField.ts';
import type { MeshPool } from '../transport/meshPool.ts';
import { sendAttempt } from '../transport/sendAttempt.ts';
import { decodeGrpcFrames } from './decodeGrpcFrames.ts';
import { encodeGrpcFrames } from './encodeGrpcFrames.ts';
import { GrpcStatusCode } from './grpcStatusCode.ts';
import { httpStatusToGrpcCode } from './httpStatusToGrpcCode.ts';

export interface GrpcCallRequest {
  /** `/package.Service/Method`. */
  path: string;
  /** Everything but the gRPC protocol headers, which this function sets. */
  headers: Record<string, string>;
  /** Serialized request messages: one for a unary call, several for a reflection round. */
  messages: readonly Uint8Array[];
  timeoutMs: number;
  maxResponseBytes: number;
}

export interface GrpcReply {
  code: number;
  /** `grpc-message`, percent-decoded. */
  statusMessage: string;
  /** `grpc-status-details-bin`: a serialized google.rpc.Status. */
  statusDetails?: Uint8Array;
  httpStatus: number;
  /** True when the answer was a gRPC one; false for a proxy's HTTP error page (code then mapped from the HTTP status). */
  grpc: boolean;
  /** Response headers then trailers (initial and trailing metadata), repeated values joined with ", ". */
  metadata: Record<string, string>;
  /** The response messages when the code is OK. */
  messages: Uint8Array[];
  /** The raw body of a non-gRPC answer (for the error detail); empty otherwise. */
  body: Buffer;
}

/**
 * One gRPC call over the mesh pool (HTTP/2), through `sendAttempt` so it is bounded in time and
 * size and its transport failures are the same `AttemptFailure`s as HTTP's. The gRPC status is read
 * from the trailers, or from the headers of a trailers-only answer (how Envoy answers locally); an
 * answer that is not gRPC at all gets its code from the HTTP status.
 *
 * @example
 * const reply = await sendGrpcCall(meshPool, { path: '/inventory.v1.Inventory/Reserve', headers, messages: [bytes], timeoutMs: 5000, maxResponseBytes: 1 << 20 });
 */
export async function sendGrpcCall(meshPool: MeshPool, request: GrpcCallRequest): Promise<GrpcReply> {
  const response = await sendAttempt(meshPool, {
    method: 'POST',
    path: request.path,
    headers: {
      ...request.headers,
      'content-type': 'application/grpc',
      te: 'trailers',
      // The server stops working on the call when the invoker stops waiting for it.
      'grpc-timeout': `${Math.max(1, Math.ceil(request.timeoutMs))}m`,
      'grpc-accept-encoding': 'identity',
    },
    body: encodeGrpcFrames(request.messages),
    timeoutMs: request.timeoutMs,
    maxResponseBytes: request.maxResponseBytes,
  });
  const trailers = response.trailers ?? {};
  const metadata = mergeMetadata(response.headers, trailers);
  const grpc = String(metadata['content-type'] ?? '').startsWith('application/grpc');
  const status = trailers['grpc-status'] ?? headerValue(response.headers['grpc-status']);
  if (!grpc || status === undefined) {
    return {
      code: grpc || response.status !== 200 ? httpStatusToGrpcCode(response.status) : GrpcStatusCode.UNKNOWN,
      statusMessage: grpc ? 'gRPC answer without grpc-status' : '',
      httpStatus: response.status,
      grpc,
      metadata,
      messages: [],
      body: grpc ? Buffer.alloc(0) : response.body,
    };
  }
  const code = /^\d{1,3}$/.test(status) ? Number(status) : GrpcStatusCode.UNKNOWN;
  const details = trailers['grpc-status-details-bin'] ?? headerValue(response.headers['grpc-status-details-bin']);
  return {
    code,
    statusMessage: percentDecode(trailers['grpc-message'] ?? headerValue(response.headers['grpc-message']) ?? ''),
    ...(details ? { statusDetails: Buffer.from(details, 'base64') } : {}),
    httpStatus: response.status,
    grpc,
    metadata,
    messages: code === GrpcStatusCode.OK ? decodeGrpcFrames(response.body) : [],
    body: Buffer.alloc(0),
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function mergeMetadata(headers: IncomingHttpHeaders, trailers: Record<string, string>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const source of [headers, trailers] as const) {
    for (const [name, value] of Object.entries(source)) {
      const text = headerValue(value as string | string[] | undefined);
      if (text === undefined) continue;
      const key = name.toLowerCase();
      setOwnField(merged, key, Object.hasOwn(merged, key) ? `${merged[key]}, ${text}` : text);
    }
  }
  return merged;
}

/** grpc-message is percent-encoded UTF-8; a malformed escape is kept as it is rather than failing the call. */
function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const hex = text.slice(index + 1, index + 3);
    if (text[index] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(text[index]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
