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
 * The bound is one timer cleared when the attempt ends, not `AbortSignal.timeout`: that one's
 * timer lives on for the whole timeout after a fast answer, so a warm sandbox carried thousands
 * of them into the old generation (npm run bench, issue #7).
 *
 * @example
 * const response = await sendAttempt(meshPool, { method: 'GET', path: '/v1/orders/7', headers, timeoutMs: 5000, maxResponseBytes: 1 << 20 });
 */
export async function sendAttempt(meshPool: MeshPool, request: AttemptRequest): Promise<AttemptResponse> {
  const attempt = new AbortController();
  const signal = attempt.signal;
  const timer = setTimeout(() => attempt.abort(), Math.max(1, request.timeoutMs));
  try {
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

    const status = response.statusCode;
    const declaredLength = Number(response.headers['content-length'] ?? Number.NaN);
    if (declaredLength > request.maxResponseBytes) {
      response.body.destroy();
      throw new AttemptFailure('tooLarge', 'CONTENT_LENGTH_OVER_LIMIT', { status });
    }
    let body: Buffer;
    try {
      body = await readBody(response.body, request.maxResponseBytes, status);
    } catch (error) {
      if (error instanceof AttemptFailure) throw error;
      if (signal.aborted) throw new AttemptFailure('timeout', 'ATTEMPT_TIMEOUT', { cause: error, status });
      throw new AttemptFailure('cut', errorCode(error), { cause: error, status });
    }
    return { status, headers: response.headers, body, trailers: response.trailers };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The whole body, through 'data' and 'end' events: an async iterator would cost an extra turn
 * of the event loop per chunk and per end of stream (npm run bench, issue #7).
 */
function readBody(stream: Dispatcher.ResponseData['body'], maxBytes: number, status: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        fail(new AttemptFailure('tooLarge', 'BODY_OVER_LIMIT', { status }));
        stream.destroy();
        return;
      }
      chunks.push(chunk);
    });
    stream.once('end', () => {
      settled = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    stream.once('error', fail);
    // A stream destroyed without an error (an abort after the headers) ends neither way.
    stream.once('close', () => {
      if (!settled) fail(new AttemptFailure('cut', 'ERR_STREAM_PREMATURE_CLOSE', { status }));
    });
  });
}
