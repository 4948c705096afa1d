import { meshRequestHeaders } from './meshRequestHeaders.ts';

const ACCEPT_DEFAULT = { accept: 'application/json, */*;q=0.8' } as const;

export interface HttpRequestHeaderParts {
  authority: string;
  token: string;
  requestId: string;
  /** The invocation's X-Ray trace header, which the tracing headers derive from (a new trace when undefined). */
  amznTraceId: string | undefined;
  /** The task's own headers (already checked: no name the invoker sets). */
  taskHeaders?: Record<string, string>;
  idempotencyKey?: string;
  contentType?: string;
}

/**
 * Every header of one HTTP attempt: a default `accept`, the task's headers, then the invoker's
 * own (meshRequestHeaders, idempotency-key, content-type), set last so none can be overridden.
 * The benchmark's floor sends exactly these too, so both put the same bytes on the wire.
 *
 * @example
 * httpRequestHeaders({ authority: 'orders.mesh.example.com', token, requestId: randomUUID(), amznTraceId, taskHeaders: { 'x-tenant': 'acme' } })
 */
export function httpRequestHeaders(parts: HttpRequestHeaderParts): Record<string, string> {
  const own = meshRequestHeaders(parts.authority, parts.token, parts.requestId, parts.amznTraceId);
  if (parts.idempotencyKey) own['idempotency-key'] = parts.idempotencyKey;
  if (parts.contentType) own['content-type'] = parts.contentType;
  // The common task sends no headers of its own: then the invoker's are the whole set, no copy.
  // Otherwise the invoker's go last, so none can be overridden (parseHttpTask refuses them anyway).
  if (!hasEntries(parts.taskHeaders)) return Object.assign(own, ACCEPT_DEFAULT);
  return { ...ACCEPT_DEFAULT, ...parts.taskHeaders, ...own };
}

function hasEntries(record: Record<string, string> | undefined): boolean {
  for (const _name in record) return true;
  return false;
}
