import { randomUUID } from 'node:crypto';
import { Client } from 'undici';
import { httpRequestHeaders } from '../../../shared/invoke/httpRequestHeaders.ts';
import { amznTraceId } from '../amznTraceId.ts';
import { VariantName, type BenchRoute, type BenchVariant } from './benchVariant.ts';

/** What one floor call sends: the invoker's headers, built from a new trace header and request id. */
export interface FloorCall {
  headers: Record<string, string>;
  /** The X-Ray trace header the call's tracing headers came from, as the runtime passes it to the invoker. */
  amznTraceId: string;
}

export interface FloorCredentials {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * The floor: one undici Client over one mTLS connection to the ingress (opened on the first
 * call, during warm-up), the same SNI and authority as the invoker, a bearer token fetched once,
 * the same path and the same headers as the invoker's (`httpRequestHeaders`, with a new trace
 * and request id per call, as the invoker sends them, built before the timed region); the body
 * read as bytes. Nothing an invoker could skip is left in it.
 *
 * @example
 * const floor = floorVariant(route, credentials);
 * const status = await floor.run(floor.prepare());
 */
export function floorVariant(
  route: BenchRoute,
  credentials: FloorCredentials,
  name: typeof VariantName.Floor | typeof VariantName.FloorAgain = VariantName.Floor,
): BenchVariant<FloorCall> {
  const client = new Client(route.ingressUrl, {
    allowH2: true,
    // Open for the whole run (undici's default 4 s idle close would reopen it between rounds).
    keepAliveTimeout: 10 * 60_000,
    keepAliveMaxTimeout: 10 * 60_000,
    connect: { ca: credentials.caPem, cert: credentials.certPem, key: credentials.keyPem, servername: route.authority },
  });
  return {
    name,
    prepare() {
      // A new trace header per call, as the Lambda runtime passes one to each invocation.
      const trace = amznTraceId();
      return { headers: httpRequestHeaders({ authority: route.authority, token: route.token, requestId: randomUUID(), amznTraceId: trace }), amznTraceId: trace };
    },
    async run({ headers }) {
      const response = await client.request({ method: 'GET', path: route.path, headers });
      await response.body.arrayBuffer();
      return response.statusCode;
    },
    close: () => client.close(),
  };
}
