import { tracingHeaders } from '../observability/tracingHeaders.ts';
import { MESHGATE_VERSION } from './meshgateVersion.ts';

/**
 * The headers meshgate itself puts on every request to the mesh, HTTP or gRPC (CONTRACT.md
 * section 5): host (= the service's authority, also the TLS SNI), the bearer token, user-agent,
 * x-request-id (new per attempt) and the tracing headers of the current X-Ray trace.
 *
 * @example
 * meshRequestHeaders('orders.mesh.example.com', token, randomUUID())
 * // { host: 'orders.mesh.example.com', authorization: 'Bearer eyJ…', 'user-agent': 'meshgate/0.1.0', 'x-request-id': '…', traceparent: '00-…', … }
 */
export function meshRequestHeaders(authority: string, token: string, requestId: string): Record<string, string> {
  return {
    host: authority,
    authorization: `Bearer ${token}`,
    'user-agent': `meshgate/${MESHGATE_VERSION}`,
    'x-request-id': requestId,
    ...tracingHeaders(),
  };
}
