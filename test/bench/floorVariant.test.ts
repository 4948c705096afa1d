import { describe, expect, it } from 'vitest';
import { floorVariant } from '../../scripts/bench/variants/floorVariant.ts';
import { loadCatalog } from '../../shared/catalog/loadCatalog.ts';
import { authenticateCall } from '../../shared/invoke/authenticateCall.ts';
import { Deadline } from '../../shared/invoke/deadline.ts';
import type { LocalMesh } from '../mesh/startLocalMesh.ts';
import { Sandbox } from '../support/invokeHandler.ts';
import { useLocalMesh } from '../support/useLocalMesh.ts';

let mesh: LocalMesh;
useLocalMesh((started) => (mesh = started));

/** Header names as the ingress received them, and the length of each value (the ids differ per call). */
function shapeOfLastRequest(): Array<[string, number]> {
  const headers = mesh.ingress.requests.at(-1)!.headers;
  return Object.entries(headers)
    .filter(([name]) => !name.startsWith(':'))
    .map(([name, value]): [string, number] => [name, String(value).length])
    .sort(([a], [b]) => a.localeCompare(b));
}

describe('Function: floorVariant', () => {
  it('puts on the wire the same headers as the invoker, with values of the same length', async () => {
    // Prepare
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    await new Sandbox().invoke({ service: 'orders', path: '/v1/orders/7' });
    const invokerShape = shapeOfLastRequest();
    const deadline = Deadline.fromRemainingMs(10_000);
    const catalog = await loadCatalog(deadline);
    const service = catalog.services.orders!;
    const { credentials, token } = await authenticateCall(catalog, service, deadline, false);
    const floor = floorVariant({ ingressUrl: catalog.ingress.url, authority: service.authority, path: '/v1/orders/7', token }, credentials);

    try {
      // Act
      const status = await floor.run(floor.prepare());

      // Assess
      expect(status).toBe(200);
      expect(shapeOfLastRequest()).toEqual(invokerShape);
      expect(invokerShape.map(([name]) => name)).toEqual(expect.arrayContaining(['authorization', 'traceparent', 'x-request-id', 'user-agent']));
    } finally {
      await floor.close();
      delete process.env._X_AMZN_TRACE_ID;
    }
  });
});
