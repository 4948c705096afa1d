import { describe, expect, it } from 'vitest';
import { QUERY_LANGUAGES, orderInput, useOrderWorkflowHarness, type OrderWorkflowHarness } from './support/orderWorkflow.ts';
import { keysOf, requestsOf } from './support/requests.ts';

describe('Workflow: Retry on transient Mesh errors', () => {
  let harness: OrderWorkflowHarness;
  useOrderWorkflowHarness((started) => (harness = started));

  const attemptsOf = (result: Awaited<ReturnType<OrderWorkflowHarness['run']>>, state: string, index?: number) =>
    result.trace
      .filter((entry) => entry.state === state && entry.index === index && !['retry', 'caught'].includes(entry.outcome))
      .map((entry) => entry.outcome);

  describe.each(QUERY_LANGUAGES)('%s definition', (language) => {
    it('retries the charge after a 503 (Mesh.Unavailable) with the same idempotency key, and succeeds', async () => {
      // Prepare
      harness.mesh.orders.injectFault({ status: 503, body: 'upstream overloaded' }, { pathPrefix: '/v1/orders/A-17' });

      // Act
      const result = await harness.run(language, orderInput(3));

      // Assess
      expect(result.status, result.cause).toBe('SUCCEEDED');
      expect(attemptsOf(result, 'Charge')).toEqual(['Mesh.Unavailable', 'succeeded']);
      expect(result.trace.find((entry) => entry.state === 'Charge' && entry.outcome === 'Mesh.Unavailable')?.detail).toContain('503');
      const charges = requestsOf.charges(harness.mesh.orders.requests, 'A-17');
      expect(charges).toHaveLength(2);
      expect(new Set(keysOf(charges)).size).toBe(1);
      // The faulted attempt had no effect; the retry made the one charge.
      expect(harness.mesh.orders.effects).toBe(5);
    });

    it('retries a 429 (Mesh.Throttled) and a reset connection in the same state until it succeeds', async () => {
      // Prepare: two throttles, then a connection reset before any response (the ingress answers 503).
      harness.mesh.orders.injectFault({ status: 429, headers: { 'retry-after': '1' } }, { pathPrefix: '/v1/orders/A-17/confirm', times: 2 });
      harness.mesh.orders.injectFault({ resetBeforeHeaders: true }, { pathPrefix: '/v1/orders/A-17/confirm' });

      // Act
      const result = await harness.run(language, orderInput(1));

      // Assess
      expect(result.status, result.cause).toBe('SUCCEEDED');
      expect(attemptsOf(result, 'Confirm')).toEqual(['Mesh.Throttled', 'Mesh.Throttled', 'Mesh.Unavailable', 'succeeded']);
      expect(new Set(keysOf(requestsOf.confirmations(harness.mesh.orders.requests, 'A-17'))).size).toBe(1);
    });

    it('retries a transient failure of one Map item without touching the other items', async () => {
      // Prepare: the first reservation request answers 503.
      harness.mesh.orders.injectFault({ status: 503 }, { pathPrefix: '/v1/orders', times: 1 });

      // Act
      const result = await harness.run(language, orderInput(3));

      // Assess
      expect(result.status, result.cause).toBe('SUCCEEDED');
      const retried = result.trace.filter((entry) => entry.state === 'ReserveItem' && entry.outcome === 'Mesh.Unavailable');
      expect(retried).toHaveLength(1);
      expect(attemptsOf(result, 'ReserveItem', retried[0]!.index)).toEqual(['Mesh.Unavailable', 'succeeded']);
      const reservations = requestsOf.reservations(harness.mesh.orders.requests);
      expect(reservations).toHaveLength(4);
      expect(new Set(keysOf(reservations)).size).toBe(3);
      expect(harness.mesh.orders.effects).toBe(5);
    });

    it('fails with Mesh.Unavailable once MaxAttempts is spent (no Catch takes a transient error)', async () => {
      // Prepare: more 503s than the first attempt plus MaxAttempts (4) retries.
      harness.mesh.orders.injectFault({ status: 503 }, { pathPrefix: '/v1/orders/A-17/confirm', times: 10 });

      // Act
      const result = await harness.run(language, orderInput(1));

      // Assess
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('Mesh.Unavailable');
      expect(attemptsOf(result, 'Confirm')).toEqual(Array(5).fill('Mesh.Unavailable'));
      expect(requestsOf.refunds(harness.mesh.orders.requests, 'A-17')).toHaveLength(0);
      const cause = JSON.parse(result.cause!) as { errorType: string; errorMessage: string };
      expect(cause.errorType).toBe('Mesh.Unavailable');
      expect(JSON.parse(cause.errorMessage)).toMatchObject({ service: 'orders', status: 503 });
    });
  });
});
