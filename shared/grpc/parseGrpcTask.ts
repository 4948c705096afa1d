import { InvalidTaskError } from '../errors/meshErrors.ts';
import { asInvalidTask } from '../task/asInvalidTask.ts';
import { isPlainObject } from '../task/isPlainObject.ts';
import { ownField } from '../task/ownField.ts';
import { parseIdempotencyKey } from '../task/parseIdempotencyKey.ts';
import { parseServiceName } from '../task/parseServiceName.ts';
import { parseTaskContext } from '../task/parseTaskContext.ts';
import { parseTaskHeaders } from '../task/parseTaskHeaders.ts';
import { parseTimeoutMs } from '../task/parseTimeoutMs.ts';
import { assertTaskObject } from '../task/assertTaskObject.ts';
import { quoteForMessage } from '../task/quoteForMessage.ts';
import type { GrpcTask } from './grpcTask.ts';

const FIELDS = ['service', 'rpc', 'message', 'metadata', 'timeoutMs', 'idempotencyKey', 'context'] as const;
const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_]*';
const RPC = new RegExp(`^(?:${IDENTIFIER}\\.)*${IDENTIFIER}/${IDENTIFIER}$`);
const MAX_RPC_LENGTH = 512;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Validates a gRPC task input (CONTRACT.md section 3b). `metadata` follows the rules of HTTP
 * `headers`, and also refuses `grpc-*` keys (gRPC's own: the invoker sets `grpc-timeout` from the
 * deadline) and `-bin` values that are not base64. A field whose value is `undefined` counts as absent.
 *
 * @example
 * parseGrpcTask({ service: 'inventory', rpc: 'inventory.v1.Inventory/Reserve', message: { sku: 'B-2', quantity: 3 } });
 * @throws InvalidTaskError for any input that breaks the rules, whatever its shape; it never throws anything else
 */
export function parseGrpcTask(input: unknown): GrpcTask {
  let service: string | undefined;
  try {
    assertTaskObject(input, FIELDS);
    service = parseServiceName(ownField(input, 'service'));
    const task: GrpcTask = {
      service,
      rpc: parseRpc(ownField(input, 'rpc')),
      message: parseMessage(ownField(input, 'message')),
      metadata: parseMetadata(ownField(input, 'metadata')),
    };
    const timeoutMs = parseTimeoutMs(ownField(input, 'timeoutMs'));
    if (timeoutMs !== undefined) task.timeoutMs = timeoutMs;
    const idempotencyKey = parseIdempotencyKey(ownField(input, 'idempotencyKey'));
    if (idempotencyKey !== undefined) task.idempotencyKey = idempotencyKey;
    const context = ownField(input, 'context');
    if (context !== undefined) task.context = parseTaskContext(context);
    return task;
  } catch (error) {
    throw asInvalidTask(error, service);
  }
}

function parseRpc(value: unknown): string {
  if (typeof value !== 'string') throw new InvalidTaskError('rpc is required and must be a string "package.Service/Method"');
  if (value.length > MAX_RPC_LENGTH || !RPC.test(value)) {
    throw new InvalidTaskError(`rpc ${quoteForMessage(value)} must be "package.Service/Method" (protobuf identifiers)`);
  }
  return value;
}

function parseMessage(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw new InvalidTaskError('message must be an object (the request message as proto3 JSON)');
  return value;
}

function parseMetadata(value: unknown): Record<string, string> {
  const metadata = parseTaskHeaders(value, 'metadata');
  for (const [key, text] of Object.entries(metadata)) {
    if (key.startsWith('grpc-')) {
      throw new InvalidTaskError(`metadata key ${quoteForMessage(key)} may not be set by a task (gRPC reserves grpc-*; the deadline comes from timeoutMs)`);
    }
    if (key.endsWith('-bin') && !BASE64.test(text)) {
      throw new InvalidTaskError(`metadata.${key} must be base64: keys ending in -bin carry binary values`);
    }
  }
  return metadata;
}
