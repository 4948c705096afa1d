import { traceContext } from '../observability/traceContext.ts';
import { tracingHeaders } from '../observability/tracingHeaders.ts';
import { MESHGATE_VERSION } from './meshgateVersion.ts';

const USER_AGENT = `meshgate/${MESHGATE_VERSION}`;

/**
 * The headers meshgate itself puts on every request to the mesh, HTTP or gRPC (CONTRACT.md
 * section 5): host (= the service's authority, also the TLS SNI), the bearer token, user-agent,
 * x-request-id (new per attempt) and the tracing headers of the invocation's X-Ray trace header
 * (a new trace when there is none).
 *
 * @example
 * meshRequestHeaders('orders.mesh.example.com', token, randomUUID(), record.amznTraceId)
 * // { host: 'orders.mesh.example.com', authorization: 'Bearer eyJ…', 'user-agent': 'meshgate/0.1.0', 'x-request-id': '…', traceparent: '00-…', … }
 */
export function meshRequestHeaders(
  authority: string,
  token: string,
  requestId: string,
  amznTraceId: string | undefined,
): Record<string, string> {
  const tracing = tracingHeaders(traceContext(amznTraceId));
  // One literal, every key in the same order each time: these objects are built on every attempt
  // and read twice more (by undici and by node:http2), so they keep one hidden class.
  return {
    host: authority,
    authorization: `Bearer ${token}`,
    'user-agent': USER_AGENT,
    'x-request-id': requestId,
    traceparent: tracing.traceparent,
    'x-b3-traceid': tracing['x-b3-traceid'],
    'x-b3-spanid': tracing['x-b3-spanid'],
    'x-b3-sampled': tracing['x-b3-sampled'],
  };
}
