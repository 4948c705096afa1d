import { Client } from 'undici';
import type { BenchRoute, BenchVariant } from './benchVariant.ts';

export interface FloorCredentials {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * The floor: one undici Client over one mTLS connection to the ingress (opened on the first
 * call, during warm-up), the same SNI and authority as the invoker, a bearer token fetched once,
 * the same path; the body read as bytes. Nothing an invoker could skip is left in it.
 *
 * @example
 * const floor = floorVariant(route, credentials);
 * const status = await floor.run(floor.prepare());
 */
export function floorVariant(route: BenchRoute, credentials: FloorCredentials): BenchVariant<void> {
  const client = new Client(route.ingressUrl, {
    allowH2: true,
    // Open for the whole run (undici's default 4 s idle close would reopen it between rounds).
    keepAliveTimeout: 10 * 60_000,
    keepAliveMaxTimeout: 10 * 60_000,
    connect: { ca: credentials.caPem, cert: credentials.certPem, key: credentials.keyPem, servername: route.authority },
  });
  const headers = { host: route.authority, authorization: `Bearer ${route.token}` };
  return {
    name: 'floor',
    prepare: () => undefined,
    async run() {
      const response = await client.request({ method: 'GET', path: route.path, headers });
      await response.body.arrayBuffer();
      return response.statusCode;
    },
    close: () => client.close(),
  };
}
