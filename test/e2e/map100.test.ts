import { describe, expect, it } from 'vitest';
import { QUERY_LANGUAGES, orderInput, useOrderWorkflowHarness, type OrderWorkflowHarness } from './support/orderWorkflow.ts';
import { keysOf, requestsOf, stockKeysOf } from './support/requests.ts';

interface ItemOutput {
  index: number;
  item: { sku: string; quantity: number };
  stock: { reservationId?: string; backordered: number; error?: string; reason?: { grpcCode: number } };
  reserved: boolean;
  reservation: { reservationId?: string; error?: string };
}

describe('Workflow: a Map of 100 items', () => {
  let harness: OrderWorkflowHarness;
  useOrderWorkflowHarness((started) => (harness = started));

  describe.each(QUERY_LANGUAGES)('%s definition', (language) => {
    it('accounts for every item exactly once, through transient failures, with no duplicate side effect', async () => {
      // Prepare: five reservation requests answer 503 on the way, and five stock holds UNAVAILABLE.
      const input = orderInput(100);
      harness.mesh.orders.injectFault({ status: 503 }, { pathPrefix: '/v1/orders', times: 5 });
      harness.mesh.inventory.injectFault({ code: 14, message: 'warehouse busy' }, { times: 5 });

      // Act
      const result = await harness.run(language, input);

      // Assess: every item once, in order, reserved under its own id.
      expect(result.status, result.cause).toBe('SUCCEEDED');
      const items = (result.output as unknown as { reservations: ItemOutput[] }).reservations;
      expect(items.map((item) => item.index)).toEqual(input.items.map((_, index) => index));
      expect(items.map((item) => item.item)).toEqual(input.items);
      expect(items.every((item) => item.reserved)).toBe(true);
      expect(new Set(items.map((item) => item.reservation.reservationId)).size).toBe(100);

      // The service: 105 reservation requests (5 retried), 100 keys, 100 reservations made.
      const reservations = requestsOf.reservations(harness.mesh.orders.requests);
      expect(reservations).toHaveLength(105);
      expect(new Set(keysOf(reservations)).size).toBe(100);
      expect(new Set(reservations.map((request) => JSON.parse(request.body).sku)).size).toBe(100);
      expect(harness.mesh.orders.effects).toBe(100 + 2);
      expect(result.trace.filter((entry) => entry.state === 'ReserveItem' && entry.outcome === 'Mesh.Unavailable')).toHaveLength(5);

      // The stock: every item held once under its own id; 105 Reserve calls (5 retried), 100 keys, 100 holds.
      expect(items.every((item) => item.stock.backordered === 0)).toBe(true);
      expect(new Set(items.map((item) => item.stock.reservationId)).size).toBe(100);
      const holds = harness.mesh.inventory.requests;
      expect(holds).toHaveLength(105);
      expect(new Set(stockKeysOf(holds)).size).toBe(100);
      expect(new Set(holds.map((request) => request.message.sku)).size).toBe(100);
      expect(harness.mesh.inventory.effects).toBe(100);
      expect(result.trace.filter((entry) => entry.state === 'ReserveStock' && entry.outcome === 'Mesh.Unavailable')).toHaveLength(5);
    });

    it('accounts for every item when some are out of stock: backordered with the reason, and still reserved and confirmed', async () => {
      // Prepare: three stock holds answer FAILED_PRECONDITION (out of stock).
      const input = orderInput(100);
      harness.mesh.inventory.injectFault({ code: 9, message: 'out of stock' }, { times: 3 });

      // Act
      const result = await harness.run(language, input);

      // Assess
      expect(result.status, result.cause).toBe('SUCCEEDED');
      const items = (result.output as unknown as { reservations: ItemOutput[] }).reservations;
      expect(items.map((item) => item.index)).toEqual(input.items.map((_, index) => index));
      const short = items.filter((item) => item.stock.error);
      expect(short).toHaveLength(3);
      for (const item of short) {
        expect(item.stock).toMatchObject({ backordered: item.item.quantity, error: 'Mesh.ClientError', reason: { grpcCode: 9 } });
        expect(item.stock.reservationId).toBeUndefined();
      }
      expect(new Set(items.flatMap((item) => (item.stock.reservationId ? [item.stock.reservationId] : []))).size).toBe(97);
      expect(items.every((item) => item.reserved)).toBe(true);
      expect(harness.mesh.inventory.requests).toHaveLength(100);
      expect(harness.mesh.inventory.effects).toBe(97);
      expect(requestsOf.reservations(harness.mesh.orders.requests)).toHaveLength(100);
    });

    it('accounts for every item when some are refused: rejected ones named, reserved ones released', async () => {
      // Prepare: three reservation requests are refused (409), so three items are rejected.
      harness.mesh.orders.injectFault({ status: 409, body: 'out of stock' }, { pathPrefix: '/v1/orders', times: 3 });

      // Act
      const result = await harness.run(language, orderInput(100));

      // Assess
      expect(result.error).toBe('Order.ReservationRejected');
      expect(JSON.parse(result.cause!)).toMatchObject({ rejectedItems: 3, meshError: 'Mesh.ClientError', reason: { status: 409 } });
      const reservedIds = result.events.flatMap((event) =>
        event.type === 'StateExited' && event.state === 'ReserveItem' ? [(event.output as unknown as ItemOutput).reservation.reservationId] : [],
      );
      const rejectedIndexes = result.trace.filter((entry) => entry.state === 'ReserveItem' && entry.outcome === 'Mesh.ClientError').map((entry) => entry.index);
      expect(reservedIds).toHaveLength(97);
      expect(new Set([...result.trace.filter((entry) => entry.state === 'ReserveItem').map((entry) => entry.index)]).size).toBe(100);
      expect(rejectedIndexes).toHaveLength(3);
      const released = requestsOf.releases(harness.mesh.orders.requests).map((request) => request.path);
      expect(released.sort()).toEqual(reservedIds.map((id) => `/v1/orders/${id}`).sort());
      expect(requestsOf.charges(harness.mesh.orders.requests, 'A-17')).toHaveLength(0);
      // Every item holds its stock, rejected ones included: the item states carry it to the end.
      const stockIds = result.events.flatMap((event) =>
        event.type === 'StateExited' && ['ReserveItem', 'ItemRejected'].includes(event.state) ? [(event.output as unknown as ItemOutput).stock.reservationId] : [],
      );
      expect(stockIds).toHaveLength(100);
      expect(new Set(stockIds).size).toBe(100);
      expect(harness.mesh.inventory.effects).toBe(100);
    });
  });
});
