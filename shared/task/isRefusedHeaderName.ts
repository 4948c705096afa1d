/**
 * Header names a task may not set (CONTRACT.md section 2): the invoker sets them itself
 * (authorization, host, tracing, idempotency-key), they are hop-by-hop or framing headers that
 * would desync the connection or are illegal in HTTP/2, or the mesh trusts them as facts about
 * the caller (x-forwarded-*, x-envoy-*, forwarded).
 * `accept-encoding`, `x-request-id` and `user-agent` are refused for the same reason.
 * `content-type` is refused too, beyond the contract's list: the invoker derives it from `body`
 * (application/json) or `rawBody.contentType`, and a second source could contradict the bytes sent.
 */
const REFUSED_NAMES: ReadonlySet<string> = new Set([
  'host',
  'authorization',
  'cookie',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'te',
  'upgrade',
  'forwarded',
  'b3',
  'traceparent',
  'tracestate',
  'keep-alive',
  'expect',
  'idempotency-key',
  // The invoker neither decompresses nor streams: a compressed body would break parsing and size caps.
  'accept-encoding',
  // Set per attempt by the invoker; a task's value would be silently replaced, so refuse it openly.
  'x-request-id',
  'user-agent',
]);
const REFUSED_PREFIXES: readonly string[] = ['proxy-', 'x-forwarded-', 'x-envoy-', 'x-b3-'];

/** True when a (lower-case) header name may not come from a task. */
export function isRefusedHeaderName(name: string): boolean {
  return REFUSED_NAMES.has(name) || REFUSED_PREFIXES.some((prefix) => name.startsWith(prefix));
}
