import { describe, expect, it } from 'vitest';
import type { WorkflowResult } from '../../scripts/workflow/runWorkflow.ts';
import { assertNoSecrets } from '../support/findSecrets.ts';
import { QUERY_LANGUAGES, orderInput, useOrderWorkflowHarness, type OrderWorkflowHarness } from './support/orderWorkflow.ts';
import { requestsOf, stockKeysOf } from './support/requests.ts';

interface ItemOutput {
  index: number;
  item: { sku: string; quantity: number };
  stock: { reservationId?: string; backordered: number; error?: string; reason?: Record<string, unknown> };
  reserved: boolean;
}

describe('Workflow: stock holds over gRPC (ReserveStock through the gRPC invoker)', () => {
  let harness: OrderWorkflowHarness;
  useOrderWorkflowHarness((started) => (harness = started));

  const itemsOf = (result: WorkflowResult) => (result.output as unknown as { reservations: ItemOutput[] }).reservations;
  const stockTrace = (result: WorkflowResult, index?: number) =>
    result.trace.filter((entry) => entry.state === 'ReserveStock' && (index === undefined || entry.index === index)).map((entry) => entry.outcome);

  describe.each(QUERY_LANGUAGES)('%s definition', (language) => {
    it('backorders an out-of-stock item (FAILED_PRECONDITION → Mesh.ClientError, caught, not retried) and still confirms the order', async () => {
      // Prepare: the first stock hold is refused for lack of stock, with a StockShortage detail.
      harness.mesh.inventory.injectFault({ code: 9, message: 'out of stock', details: [{ stockShortage: { sku: 'SKU-1', available: 1 } }] });

      // Act
      const result = await harness.run(language, orderInput(3));

      // Assess: the order goes through; the short item is reserved and waits for stock, with the parsed reason.
      expect(result.status, result.cause).toBe('SUCCEEDED');
      assertNoSecrets('workflow result', result);
      expect(result.output).toMatchObject({ status: 'confirmed' });
      const items = itemsOf(result);
      const short = items.filter((item) => item.stock.error);
      expect(short).toHaveLength(1);
      const [item] = short as [ItemOutput];
      expect(item.stock).toEqual({
        backordered: item.item.quantity,
        error: 'Mesh.ClientError',
        reason: {
          message: 'Service answered gRPC status 9 FAILED_PRECONDITION',
          service: 'inventory',
          grpcCode: 9,
          detail: 'out of stock',
          grpcDetails: [{ '@type': 'type.googleapis.com/inventory.v1.StockShortage', sku: 'SKU-1', available: 1 }],
        },
      });
      expect(item.reserved).toBe(true);
      for (const other of items.filter((candidate) => candidate !== item)) {
        expect(other.stock).toEqual({ reservationId: expect.stringMatching(/^res-\d+$/), backordered: 0 });
      }
      expect(stockTrace(result, item.index)).toEqual(['Mesh.ClientError', 'caught']);
      expect(result.trace.some((entry) => entry.state === 'StockBackordered' && entry.index === item.index)).toBe(true);
      expect(harness.mesh.inventory.requests).toHaveLength(3);
      expect(harness.mesh.inventory.effects).toBe(2);
      expect(requestsOf.reservations(harness.mesh.orders.requests)).toHaveLength(3);
    });

    it('retries a stock hold after UNAVAILABLE and RESOURCE_EXHAUSTED with the same idempotency key, holding the stock once', async () => {
      // Prepare: the one item's hold answers UNAVAILABLE, then RESOURCE_EXHAUSTED, then goes through.
      harness.mesh.inventory.injectFault({ code: 14, message: 'warehouse busy' });
      harness.mesh.inventory.injectFault({ code: 8, message: 'slow down', details: [{ retryDelaySeconds: 1 }] });

      // Act
      const result = await harness.run(language, orderInput(1));

      // Assess
      expect(result.status, result.cause).toBe('SUCCEEDED');
      expect(stockTrace(result).filter((outcome) => outcome !== 'retry')).toEqual(['Mesh.Unavailable', 'Mesh.Throttled', 'succeeded']);
      const holds = harness.mesh.inventory.requests;
      expect(holds).toHaveLength(3);
      expect(new Set(stockKeysOf(holds)).size).toBe(1);
      expect(harness.mesh.inventory.effects).toBe(1);
      expect(itemsOf(result)[0]!.stock).toEqual({ reservationId: expect.stringMatching(/^res-\d+$/), backordered: 0 });
    });
  });
});
