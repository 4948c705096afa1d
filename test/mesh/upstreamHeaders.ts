import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Connection-specific headers (RFC 9110 7.6.1, RFC 9113 8.2.2): never forwarded across a hop. */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'upgrade',
  'http2-settings',
  'host',
]);

export interface UpstreamHeaderContext {
  /** The route's authority, sent as `host`. */
  authority: string;
  /** Envoy's `x-forwarded-client-cert` value for the client certificate. */
  forwardedClientCert: string;
  remoteAddress: string;
}

/**
 * The headers the ingress sends to the workload, as Istio's gateway Envoy builds them: pseudo-headers
 * and hop-by-hop headers dropped, `authorization` removed (forwardOriginalToken: false), any
 * client-sent `x-forwarded-client-cert` replaced (SANITIZE_SET), `x-request-id` kept or generated.
 *
 * @example
 * const headers = upstreamHeaders(req.headers, { authority, forwardedClientCert, remoteAddress: '127.0.0.1' });
 */
export function upstreamHeaders(incoming: IncomingHttpHeaders, context: UpstreamHeaderContext): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || name.startsWith(':') || hopByHop.has(name)) continue;
    if (name === 'authorization' || name === 'x-forwarded-client-cert') continue;
    headers[name] = value;
  }
  const forwardedFor = incoming['x-forwarded-for'];
  headers.host = context.authority;
  headers['x-forwarded-proto'] = 'https';
  headers['x-forwarded-for'] = forwardedFor ? `${String(forwardedFor)}, ${context.remoteAddress}` : context.remoteAddress;
  headers['x-request-id'] = incoming['x-request-id'] ?? randomUUID();
  headers['x-envoy-attempt-count'] = '1';
  headers['x-forwarded-client-cert'] = context.forwardedClientCert;
  return headers;
}
