import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { AttemptFailure } from './attemptFailure.ts';
import { classifyTransportError, errorCode } from './classifyTransportError.ts';
import type { MeshPool } from './meshPool.ts';

export interface AttemptRequest {
  method: Dispatcher.HttpMethod;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
  maxResponseBytes: number;
}

export interface AttemptResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Trailing headers (HTTP/2 trailers; where gRPC puts its status), once the body has been read. */
  trailers?: Record<string, string>;
}

/**
 * One HTTP exchange over the mesh pool, bounded in time (headers *and* body) and in size; the
 * body is read incrementally and abandoned as soon as it passes `maxResponseBytes`. Redirects
 * are never followed. Failures are `AttemptFailure`s the caller maps to `Mesh.*` names.
 *
 * @example
 * const response = await sendAttempt(meshPool, { method: 'GET', path: '/v1/orders/7', headers, timeoutMs: 5000, maxResponseBytes: 1 << 20 });
 */
export async function sendAttempt(meshPool: MeshPool, request: AttemptRequest): Promise<AttemptResponse> {
  const signal = AbortSignal.timeout(Math.max(1, request.timeoutMs));
  const connectionsBefore = meshPool.connectionsOpened;
  let response: Dispatcher.ResponseData;
  try {
    response = await meshPool.pool.request({
      method: request.method,
      path: request.path,
      headers: request.headers,
      body: request.body,
      signal,
      // The attempt signal is the real bound; these only stop undici's own defaults (300 s) from mattering.
      headersTimeout: request.timeoutMs + 1_000,
      bodyTimeout: request.timeoutMs + 1_000,
    });
  } catch (error) {
    if (signal.aborted) throw new AttemptFailure('timeout', 'ATTEMPT_TIMEOUT', { cause: error });
    const kind = classifyTransportError(error, meshPool.connectionsOpened !== connectionsBefore);
    throw new AttemptFailure(kind, errorCode(error), { cause: error });
  }

  const declaredLength = Number(response.headers['content-length'] ?? Number.NaN);
  if (declaredLength > request.maxResponseBytes) {
    response.body.destroy();
    throw new AttemptFailure('tooLarge', 'CONTENT_LENGTH_OVER_LIMIT', { status: response.statusCode });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > request.maxResponseBytes) {
        response.body.destroy();
        throw new AttemptFailure('tooLarge', 'BODY_OVER_LIMIT', { status: response.statusCode });
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof AttemptFailure) throw error;
    if (signal.aborted) throw new AttemptFailure('timeout', 'ATTEMPT_TIMEOUT', { cause: error, status: response.statusCode });
    throw new AttemptFailure('cut', errorCode(error), { cause: error, status: response.statusCode });
  }
  return { status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks, size), trailers: response.trailers };
}
