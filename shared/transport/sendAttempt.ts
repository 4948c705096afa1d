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
 * body is collected as it arrives and the exchange abandoned as soon as it passes
 * `maxResponseBytes`. Redirects are never followed. Failures are `AttemptFailure`s the caller
 * maps to `Mesh.*` names.
 *
 * Dispatched with a handler of its own (undici's documented `dispatch` interface, which its
 * `request` is built on) rather than through `request`: that one wraps every exchange in an
 * AsyncResource, a Readable body stream and abort-signal listeners, all of which the invoker
 * then undid to get a Buffer — about 35 µs of a warm invocation (npm run bench, issue #7). The
 * bound is one timer cleared when the attempt ends.
 *
 * @example
 * const response = await sendAttempt(meshPool, { method: 'GET', path: '/v1/orders/7', headers, timeoutMs: 5000, maxResponseBytes: 1 << 20 });
 */
export function sendAttempt(meshPool: MeshPool, request: AttemptRequest): Promise<AttemptResponse> {
  return new Promise<AttemptResponse>((resolve, reject) => {
    new AttemptHandler(meshPool, request, resolve, reject).dispatch();
  });
}

class AttemptHandler implements Dispatcher.DispatchHandler {
  readonly #meshPool: MeshPool;
  readonly #request: AttemptRequest;
  readonly #resolve: (response: AttemptResponse) => void;
  readonly #reject: (failure: AttemptFailure) => void;
  readonly #connectionsBefore: number;
  #timer: NodeJS.Timeout | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  #settled = false;
  #status: number | undefined;
  #headers: IncomingHttpHeaders = {};
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(
    meshPool: MeshPool,
    request: AttemptRequest,
    resolve: (response: AttemptResponse) => void,
    reject: (failure: AttemptFailure) => void,
  ) {
    this.#meshPool = meshPool;
    this.#request = request;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#connectionsBefore = meshPool.connectionsOpened;
  }

  dispatch(): void {
    const request = this.#request;
    this.#timer = setTimeout(() => this.#timeOut(), Math.max(1, request.timeoutMs));
    try {
      this.#meshPool.pool.dispatch(
        {
          method: request.method,
          path: request.path,
          headers: request.headers,
          body: request.body ?? null,
          // The attempt's timer is the bound. undici's own per-stream timers (300 s by default) are
          // off: they could never fire first, and arming and re-arming them costs every attempt.
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        this,
      );
    } catch (error) {
      // undici reports a closed pool or bad options through onResponseError; anything it throws goes the same way.
      this.onResponseError(null, error as Error);
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    // Timed out while waiting for a connection: the attempt has already failed, send nothing.
    if (this.#settled) controller.abort(new AttemptFailure('timeout', 'ATTEMPT_TIMEOUT'));
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // 1xx informational answers (100 Continue, 103 Early Hints) precede the real one.
    if (statusCode < 200 || this.#settled) return;
    this.#status = statusCode;
    this.#headers = headers;
    const declaredLength = Number(headers['content-length'] ?? Number.NaN);
    if (declaredLength > this.#request.maxResponseBytes) {
      const failure = new AttemptFailure('tooLarge', 'CONTENT_LENGTH_OVER_LIMIT', { status: statusCode });
      this.#fail(failure);
      controller.abort(failure);
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    this.#size += chunk.length;
    if (this.#size > this.#request.maxResponseBytes) {
      const failure = new AttemptFailure('tooLarge', 'BODY_OVER_LIMIT', { status: this.#status });
      this.#fail(failure);
      controller.abort(failure);
      return;
    }
    this.#chunks.push(chunk);
  }

  onResponseEnd(_controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    if (this.#settled) return;
    this.#finish();
    const chunks = this.#chunks;
    this.#resolve({
      status: this.#status!,
      headers: this.#headers,
      body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#size),
      trailers: trailers as Record<string, string>,
    });
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    if (this.#settled) return;
    const status = this.#status;
    if (status !== undefined) {
      this.#fail(new AttemptFailure('cut', errorCode(error), { cause: error, status }));
      return;
    }
    const kind = classifyTransportError(error, this.#meshPool.connectionsOpened !== this.#connectionsBefore);
    this.#fail(new AttemptFailure(kind, errorCode(error), { cause: error }));
  }

  #timeOut(): void {
    if (this.#settled) return;
    const failure = new AttemptFailure('timeout', 'ATTEMPT_TIMEOUT', { status: this.#status });
    this.#fail(failure);
    // Before onRequestStart the request is still queued for a connection. It stays queued (only
    // undici's own API layer can take a request out of the queue) and is aborted in onRequestStart,
    // before a byte is sent, or fails with the connection; either way nobody is waiting for it.
    this.#controller?.abort(failure);
  }

  #fail(failure: AttemptFailure): void {
    this.#finish();
    this.#reject(failure);
  }

  #finish(): void {
    this.#settled = true;
    clearTimeout(this.#timer);
  }
}
