import { meshRequestHeaders } from './meshRequestHeaders.ts';

export interface HttpRequestHeaderParts {
  authority: string;
  token: string;
  requestId: string;
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
 * httpRequestHeaders({ authority: 'orders.mesh.example.com', token, requestId: randomUUID(), taskHeaders: { 'x-tenant': 'acme' } })
 */
export function httpRequestHeaders(parts: HttpRequestHeaderParts): Record<string, string> {
  return {
    accept: 'application/json, */*;q=0.8',
    ...parts.taskHeaders,
    // Set after the task's headers: parseHttpTask refuses these names, and the order makes sure.
    ...meshRequestHeaders(parts.authority, parts.token, parts.requestId),
    ...(parts.idempotencyKey ? { 'idempotency-key': parts.idempotencyKey } : {}),
    ...(parts.contentType ? { 'content-type': parts.contentType } : {}),
  };
}
