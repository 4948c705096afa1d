import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { resolveHttpService } from '../catalog/resolveHttpService.ts';
import type { IdentityCredentials } from '../credentials/identityCredentials.ts';
import { isMeshError, TimeoutError } from '../errors/meshErrors.ts';
import { withServiceDetail } from '../errors/withServiceDetail.ts';
import { errorDetail } from '../result/errorDetail.ts';
import { parseRetryAfter } from '../result/parseRetryAfter.ts';
import { isReturnableStatus, statusError } from '../result/statusError.ts';
import type { HttpTask } from '../task/httpTask.ts';
import { parseHttpTask } from '../task/parseHttpTask.ts';
import { AttemptFailure } from '../transport/attemptFailure.ts';
import { MeshPools } from '../transport/meshPool.ts';
import { sendAttempt, type AttemptResponse } from '../transport/sendAttempt.ts';
import { attemptFailureError } from './attemptFailureError.ts';
import { authenticateCall } from './authenticateCall.ts';
import { catalogForTask } from './catalogForTask.ts';
import { buildHttpOutput } from './buildHttpOutput.ts';
import { Deadline } from './deadline.ts';
import { defaultIdempotencyKey } from './defaultIdempotencyKey.ts';
import { httpRequestHeaders } from './httpRequestHeaders.ts';
import type { InvokerContext } from './invokerContext.ts';
import type { HttpOutput, InvocationMeta } from './httpOutput.ts';
import type { InvocationRecord } from './recordInvocation.ts';
import { runRecordedInvocation } from './runRecordedInvocation.ts';
import { InvocationRetries } from './invocationRetries.ts';
import { attemptTimeoutMs } from './attemptTimeoutMs.ts';

/** Lives for the sandbox: connections survive warm starts. */
export const meshPools = new MeshPools();

const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * The HTTP invoker without its middy wiring: validate, resolve, authenticate, call, normalize.
 * Not `async` itself: an async function returning runRecordedInvocation's promise would add two
 * turns of the microtask queue to every invocation.
 *
 * @example
 * const output = await invokeHttp({ service: 'orders', path: '/v1/orders/7' }, context);
 */
export function invokeHttp(input: unknown, lambdaContext: InvokerContext): Promise<HttpOutput> {
  return runRecordedInvocation(lambdaContext, (record, startedAt) => invoke(input, lambdaContext, startedAt, record), (output) => output.status);
}

async function invoke(input: unknown, lambdaContext: InvokerContext, startedAt: number, record: InvocationRecord): Promise<HttpOutput> {
  const task = parseHttpTask(input);
  record.service = task.service;
  record.method = task.method;
  record.pathTemplate = task.path;
  record.context = task.context;
  const target = task.target;
  const deadline = Deadline.fromRemainingMs(lambdaContext.getRemainingTimeInMillis());
  // A warm invocation has the catalog (and below, its authentication) at hand: no await, no turn of the microtask queue.
  const cachedOrLoading = catalogForTask(task.service, deadline);
  const catalog = cachedOrLoading instanceof Promise ? await cachedOrLoading : cachedOrLoading;
  const queryStart = target.indexOf('?');
  const service = resolveHttpService(catalog, task.service, task.method, queryStart === -1 ? target : target.slice(0, queryStart));
  record.identity = service.identity;

  const sendsKey = task.method !== 'GET' && task.method !== 'HEAD';
  const idempotencyKey = sendsKey ? (task.idempotencyKey ?? defaultIdempotencyKey(task.context)) : undefined;
  const { body, contentType } = encodeBody(task);
  const maxResponseBytes = service.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  const retries = new InvocationRetries();
  for (;;) {
    const attempt = retries.nextAttempt();
    record.attempts = attempt;
    const requestId = randomUUID();

    let credentials: IdentityCredentials;
    let token: string;
    try {
      const authenticating = authenticateCall(catalog, service, deadline, retries.forceRefresh);
      ({ credentials, token } = authenticating instanceof Promise ? await authenticating : authenticating);
      record.credentialVersion = credentials.version;
    } catch (error) {
      // invalid_client: the secret or key may have just rotated; re-read it once.
      if (isMeshError(error) && error.name === 'Mesh.Unauthorized' && retries.mayRefresh()) continue;
      throw withServiceDetail(error, task.service);
    }

    const timeoutMs = attemptTimeoutMs(task.timeoutMs, service.timeoutMs, deadline);
    if (timeoutMs <= 0) throw new TimeoutError('Deadline reached before the request could be sent', { service: task.service });
    const headers = httpRequestHeaders({
      authority: service.authority,
      token,
      requestId,
      amznTraceId: record.amznTraceId,
      taskHeaders: task.headers,
      idempotencyKey,
      contentType,
    });

    const meshPool = meshPools.get(catalog.ingress.url, service.authority, credentials);
    let response: AttemptResponse;
    try {
      response = await sendAttempt(meshPool, {
        method: task.method as Dispatcher.HttpMethod,
        path: target,
        headers,
        body,
        timeoutMs,
        maxResponseBytes,
      });
    } catch (error) {
      if (!(error instanceof AttemptFailure)) throw error;
      if (retries.afterTransportFailure(error, meshPools, meshPool)) continue;
      throw attemptFailureError(error, task.service, maxResponseBytes);
    }

    if (isSuccessStatus(response.status, task.successStatus)) {
      return buildHttpOutput(response, true, service, task.select, invocationMeta(task.service, attempt, startedAt, requestId, idempotencyKey));
    }
    if ((response.status === 401 || response.status === 403) && retries.mayRefresh()) continue;
    if (task.onHttpError === 'return' && isReturnableStatus(response.status)) {
      return buildHttpOutput(response, false, service, undefined, invocationMeta(task.service, attempt, startedAt, requestId, idempotencyKey));
    }
    throw statusError(response.status, {
      service: task.service,
      status: response.status,
      retryAfterSeconds: parseRetryAfter(response.headers['retry-after']),
      ...(response.body.length ? { detail: errorDetail(response.body, [token]) } : {}),
    });
  }
}

function encodeBody(task: HttpTask): { body?: Buffer; contentType?: string } {
  if (!task.body) return {};
  if (task.body.kind === 'raw') return { body: task.body.bytes, contentType: task.body.contentType };
  return { body: Buffer.from(JSON.stringify(task.body.value)), contentType: 'application/json' };
}

function isSuccessStatus(status: number, successStatus: readonly number[] | undefined): boolean {
  return successStatus ? successStatus.includes(status) : status >= 200 && status < 300;
}

function invocationMeta(service: string, attempts: number, startedAt: number, requestId: string, idempotencyKey: string | undefined): InvocationMeta {
  const meta: InvocationMeta = { service, attempts, durationMs: Math.round(performance.now() - startedAt), requestId };
  if (idempotencyKey) meta.idempotencyKey = idempotencyKey;
  return meta;
}
