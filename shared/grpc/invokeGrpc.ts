import { randomUUID } from 'node:crypto';
import type { DescMethod, FileRegistry } from '@bufbuild/protobuf';
import type { Catalog, ServiceConfig } from '../catalog/catalogTypes.ts';
import { resolveGrpcService } from '../catalog/resolveGrpcService.ts';
import type { IdentityCredentials } from '../credentials/identityCredentials.ts';
import {
  BadResponseError,
  ConfigError,
  isMeshError,
  ResponseTooLargeError,
  TimeoutError,
  type MeshError,
  type MeshErrorDetails,
} from '../errors/meshErrors.ts';
import { attemptFailureError } from '../invoke/attemptFailureError.ts';
import { authenticateCall } from '../invoke/authenticateCall.ts';
import { catalogForTask } from '../invoke/catalogForTask.ts';
import { DEFAULT_MAX_OUTPUT_BYTES } from '../invoke/buildHttpOutput.ts';
import { Deadline } from '../invoke/deadline.ts';
import { defaultIdempotencyKey } from '../invoke/defaultIdempotencyKey.ts';
import type { InvokerContext } from '../invoke/invokerContext.ts';
import { meshRequestHeaders } from '../invoke/meshRequestHeaders.ts';
import type { InvocationRecord } from '../invoke/recordInvocation.ts';
import { runRecordedInvocation } from '../invoke/runRecordedInvocation.ts';
import { InvocationRetries } from '../invoke/invocationRetries.ts';
import { attemptTimeoutMs } from '../invoke/attemptTimeoutMs.ts';
import { withServiceDetail } from '../errors/withServiceDetail.ts';
import { errorDetail } from '../result/errorDetail.ts';
import { AttemptFailure } from '../transport/attemptFailure.ts';
import { MeshPools, type MeshPool } from '../transport/meshPool.ts';
import { decodeGrpcMessage } from './decodeGrpcMessage.ts';
import { decodeStatusDetails } from './decodeStatusDetails.ts';
import { encodeGrpcMessage } from './encodeGrpcMessage.ts';
import type { GrpcOutput } from './grpcOutput.ts';
import { GrpcStatusCode } from './grpcStatusCode.ts';
import { grpcStatusError } from './grpcStatusError.ts';
import { GrpcStatusFailure, REFLECTION_ANSWERED } from './grpcStatusFailure.ts';
import type { GrpcTask } from './grpcTask.ts';
import { loadDescriptorSchema } from './loadDescriptorSchema.ts';
import { loadReflectedSchema } from './loadReflectedSchema.ts';
import { parseGrpcTask } from './parseGrpcTask.ts';
import { pickResponseMetadata } from './pickResponseMetadata.ts';
import { resolveGrpcMethod } from './resolveGrpcMethod.ts';
import { sendGrpcCall, type GrpcReply } from './sendGrpcCall.ts';

/** Lives for the sandbox: HTTP/2 connections survive warm starts. */
export const grpcMeshPools = new MeshPools();

const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** Descriptor files can be larger than a typical response; reflection gets its own cap. */
const MAX_REFLECTION_BYTES = 4 * 1024 * 1024;
const AUTH_CODES: ReadonlySet<number> = new Set([GrpcStatusCode.UNAUTHENTICATED, GrpcStatusCode.PERMISSION_DENIED]);

/** What a call needs once the schema is known; built on the first attempt, reused by a retry. */
interface PreparedCall {
  registry: FileRegistry;
  method: DescMethod;
  request: Uint8Array;
}

/**
 * The gRPC invoker without its middy wiring: validate, resolve, authenticate, load the schema,
 * make one unary call through the ingress, normalize (CONTRACT.md section 3b). Not `async`
 * itself, as invokeHttp: that would only add two turns of the microtask queue to every invocation.
 *
 * @example
 * const output = await invokeGrpc({ service: 'inventory', rpc: 'inventory.v1.Inventory/Reserve', message: { sku: 'B-2' } }, context);
 */
export function invokeGrpc(input: unknown, lambdaContext: InvokerContext): Promise<GrpcOutput> {
  return runRecordedInvocation(lambdaContext, (record, startedAt) => invoke(input, lambdaContext, startedAt, record), (output) => output.code);
}

async function invoke(input: unknown, lambdaContext: InvokerContext, startedAt: number, record: InvocationRecord): Promise<GrpcOutput> {
  const task = parseGrpcTask(input);
  // The audit line's method and path are the HTTP/2 request's: POST /package.Service/Method.
  Object.assign(record, { service: task.service, method: 'POST', pathTemplate: `/${task.rpc}`, context: task.context });
  const deadline = Deadline.fromRemainingMs(lambdaContext.getRemainingTimeInMillis());
  const catalog = await catalogForTask(task.service, deadline);
  // The rpc allow-list is checked here, before any credentials, token, schema or connection.
  const service = resolveGrpcService(catalog, task.service, task.rpc);
  record.identity = service.identity;

  const idempotencyKey = task.idempotencyKey ?? defaultIdempotencyKey(task.context);
  const maxResponseBytes = service.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  // A descriptor set is read from SSM while the credentials and token are being fetched.
  const descriptorSchema = service.descriptorParameter ? loadDescriptorSchema(service.descriptorParameter, deadline) : undefined;
  descriptorSchema?.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"

  let prepared: PreparedCall | undefined;
  const retries = new InvocationRetries();
  for (;;) {
    const attempt = retries.nextAttempt();
    record.attempts = attempt;
    const requestId = randomUUID();

    let credentials: IdentityCredentials;
    let token: string;
    try {
      ({ credentials, token } = await authenticateCall(catalog, service, deadline, retries.forceRefresh));
      record.credentialVersion = credentials.version;
    } catch (error) {
      // invalid_client: the secret or key may have just rotated; re-read it once.
      if (isMeshError(error) && error.name === 'Mesh.Unauthorized' && retries.mayRefresh()) continue;
      throw withServiceDetail(error, task.service);
    }

    const meshPool = grpcMeshPools.get(catalog.ingress.url, service.authority, credentials);
    const headers = meshRequestHeaders(service.authority, token, requestId, record.amznTraceId);
    try {
      prepared ??= await prepare(task, catalog, service, deadline, descriptorSchema, meshPool, headers);
      const timeoutMs = attemptTimeoutMs(task.timeoutMs, service.timeoutMs, deadline);
      if (timeoutMs <= 0) throw new TimeoutError('Deadline reached before the call could be sent', { service: task.service });
      const reply = await sendGrpcCall(meshPool, {
        path: `/${task.rpc}`,
        // The invoker's own headers last: parseGrpcTask refuses these names, and the order makes sure.
        headers: { ...task.metadata, ...headers, 'idempotency-key': idempotencyKey },
        messages: [prepared.request],
        timeoutMs,
        maxResponseBytes,
      });
      if (reply.code !== GrpcStatusCode.OK) throw new GrpcStatusFailure(reply, 'Service answered');
      return buildOutput(reply, prepared, service, {
        service: task.service,
        attempts: attempt,
        durationMs: Math.round(performance.now() - startedAt),
        requestId,
        idempotencyKey,
      });
    } catch (error) {
      if (error instanceof AttemptFailure) {
        if (retries.afterTransportFailure(error, grpcMeshPools, meshPool)) continue;
        throw attemptFailureError(error, task.service, maxResponseBytes);
      }
      if (error instanceof GrpcStatusFailure) {
        if (AUTH_CODES.has(error.reply.code) && retries.mayRefresh()) continue;
        throw statusFailureError(error, task.service, prepared?.registry, token);
      }
      throw withServiceDetail(error, task.service);
    }
  }
}

/** The schema (descriptor set or reflection), the method, and the request encoded with them. */
async function prepare(
  task: GrpcTask,
  catalog: Catalog,
  service: ServiceConfig,
  deadline: Deadline,
  descriptorSchema: Promise<FileRegistry> | undefined,
  meshPool: MeshPool,
  headers: Record<string, string>,
): Promise<PreparedCall> {
  const grpcService = task.rpc.split('/')[0]!;
  const registry = descriptorSchema
    ? await descriptorSchema
    : await loadReflectedSchema(`${catalog.ingress.url}\n${service.authority}`, grpcService, async (path, messages) => {
        const timeoutMs = attemptTimeoutMs(task.timeoutMs, service.timeoutMs, deadline);
        if (timeoutMs <= 0) throw new TimeoutError('Deadline reached during server reflection', { service: task.service });
        return sendGrpcCall(meshPool, { path, headers, messages, timeoutMs, maxResponseBytes: MAX_REFLECTION_BYTES });
      });
  const method = resolveGrpcMethod(registry, task.rpc, task.service);
  return { registry, method, request: encodeGrpcMessage(method.input, task.message, registry) };
}

function buildOutput(reply: GrpcReply, prepared: PreparedCall, service: ServiceConfig, meta: GrpcOutput['meta']): GrpcOutput {
  const [bytes, ...extra] = reply.messages;
  try {
    // A unary call answers exactly one message; anything else is a broken server or proxy.
    if (bytes === undefined || extra.length > 0) {
      throw new BadResponseError(`Unary call answered OK with ${reply.messages.length} messages instead of one`);
    }
    const output: GrpcOutput = {
      ok: true,
      code: 0,
      message: decodeGrpcMessage(prepared.method.output, bytes, prepared.registry),
      metadata: pickResponseMetadata(reply.metadata, service.responseMetadata),
      meta,
    };
    const maxOutputBytes = service.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    const size = Buffer.byteLength(JSON.stringify(output));
    if (size > maxOutputBytes) throw new ResponseTooLargeError(`Output is ${size} bytes, over the ${maxOutputBytes}-byte cap`);
    return output;
  } catch (error) {
    throw isMeshError(error) ? error.withDetails({ service: meta.service, grpcCode: reply.code }) : error;
  }
}

/**
 * The contract's error for a non-OK status: the code's Mesh.* name, with the status message as
 * `detail` (or a proxy's error page, with its HTTP status) and the status details as `grpcDetails`.
 */
function statusFailureError(failure: GrpcStatusFailure, service: string, registry: FileRegistry | undefined, token: string): MeshError {
  const { reply } = failure;
  const details: MeshErrorDetails = { service };
  if (!reply.grpc) {
    details.status = reply.httpStatus;
    if (reply.body.length > 0) details.detail = errorDetail(reply.body, [token]);
  } else if (reply.statusMessage) {
    details.detail = errorDetail(Buffer.from(reply.statusMessage), [token]);
  }
  if (reply.statusDetails) {
    const decoded = decodeStatusDetails(reply.statusDetails, registry, [token]);
    if (decoded.details.length > 0) details.grpcDetails = decoded.details;
    if (decoded.retryAfterSeconds !== undefined) details.retryAfterSeconds = decoded.retryAfterSeconds;
  }
  if (failure.what === REFLECTION_ANSWERED && reply.code === GrpcStatusCode.UNIMPLEMENTED) {
    return new ConfigError(`Service "${service}" offers no server reflection; give its catalog entry a descriptorParameter`, {
      ...details,
      grpcCode: reply.code,
    });
  }
  return grpcStatusError(reply.code, failure.what, details);
}
