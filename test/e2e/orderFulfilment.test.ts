import { describe, expect, it } from 'vitest';
import { assertNoSecrets } from '../support/findSecrets.ts';
import { QUERY_LANGUAGES, orderInput, useOrderWorkflowHarness, type OrderWorkflowHarness } from './support/orderWorkflow.ts';
import { keysOf, requestsOf, stockKeysOf } from './support/requests.ts';

describe('Workflow: order fulfilment, happy path', () => {
  let harness: OrderWorkflowHarness;
  useOrderWorkflowHarness((started) => (harness = started));

  describe.each(QUERY_LANGUAGES)('%s definition', (language) => {
    it('holds stock over gRPC and reserves every item, charges, confirms and outputs the order', async () => {
      // Prepare
      const input = orderInput(3);

      // Act
      const result = await harness.run(language, input);

      // Assess
      expect(result.status, result.cause).toBe('SUCCEEDED');
      assertNoSecrets('workflow result', result);
      expect(result.output).toEqual({
        orderId: 'A-17',
        status: 'confirmed',
        payment: { customerId: 'C-42', amount: 129.9, currency: 'EUR', status: 'captured' },
        reservations: input.items.map((item, index) => ({
          orderId: 'A-17',
          index,
          item,
          stock: { reservationId: expect.stringMatching(/^res-\d+$/), backordered: 0 },
          reserved: true,
          reservation: { reservationId: expect.stringMatching(/^ord-\d+$/) },
        })),
      });
      // One Reserve per item through the gRPC invoker, with the order id as a label.
      const stock = harness.mesh.inventory.requests;
      expect(stock.map((request) => request.message)).toEqual(
        expect.arrayContaining(input.items.map((item) => expect.objectContaining({ ...item, labels: { orderId: 'A-17' } }))),
      );
      expect(stock).toHaveLength(3);
      expect(harness.mesh.inventory.effects).toBe(3);
      const requests = harness.mesh.orders.requests;
      expect(requestsOf.reservations(requests).map((r) => JSON.parse(r.body))).toEqual(
        expect.arrayContaining(input.items.map((item) => ({ kind: 'reservation', orderId: 'A-17', ...item }))),
      );
      expect(requestsOf.charges(requests, 'A-17')).toHaveLength(1);
      expect(requestsOf.confirmations(requests, 'A-17')).toHaveLength(1);
      expect(requests).toHaveLength(5);
      expect(harness.mesh.orders.effects).toBe(5);
    });

    it('gives every step and every item its own idempotency key, derived from the context object', async () => {
      // Act
      const result = await harness.run(language, orderInput(3));

      // Assess: one key per request, all distinct (the Map index and the state name keep the reservations apart).
      expect(result.status).toBe('SUCCEEDED');
      const keys = [...keysOf(harness.mesh.orders.requests), ...stockKeysOf(harness.mesh.inventory.requests)];
      expect(keys).toHaveLength(8);
      expect(new Set(keys).size).toBe(8);
      // Derived (mg1- + hash of execution, state, index), not the random fallback of a task without context.
      for (const key of keys) expect(key).toMatch(/^mg1-[A-Za-z0-9_-]{32}$/);
    });

    it('derives the same keys when an execution runs its states again, so a redrive repeats no side effect', async () => {
      // Prepare: the same execution name twice stands for a redriven execution (same id, same states).
      const executionName = `redrive-${language}`;
      const first = await harness.run(language, orderInput(2), { executionName });
      const firstKeys = keysOf(harness.mesh.orders.requests);
      const firstStockKeys = stockKeysOf(harness.mesh.inventory.requests);
      const effects = harness.mesh.orders.effects;
      const stockEffects = harness.mesh.inventory.effects;

      // Act
      const again = await harness.run(language, orderInput(2), { executionName });
      const other = await harness.run(language, orderInput(2), { executionName: `${executionName}-other` });

      // Assess
      expect([first.status, again.status, other.status]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
      // Map items finish in any order: the same keys, not necessarily in the same order.
      const requests = harness.mesh.orders.requests;
      expect(keysOf(requests.slice(firstKeys.length, 2 * firstKeys.length)).sort()).toEqual([...firstKeys].sort());
      expect(keysOf(requests.slice(2 * firstKeys.length)).some((key) => firstKeys.includes(key))).toBe(false);
      const stock = harness.mesh.inventory.requests;
      expect(stockKeysOf(stock.slice(firstStockKeys.length, 2 * firstStockKeys.length)).sort()).toEqual([...firstStockKeys].sort());
      expect(stockKeysOf(stock.slice(2 * firstStockKeys.length)).some((key) => firstStockKeys.includes(key))).toBe(false);
      // The repeated run was answered from the services' idempotency records; the other execution was not.
      expect(harness.mesh.orders.effects).toBe(2 * effects);
      expect(harness.mesh.inventory.effects).toBe(2 * stockEffects);
      expect(JSON.stringify(again.output)).toBe(JSON.stringify(first.output));
    });

    it('traces every state once, each task in one attempt', async () => {
      // Act
      const result = await harness.run(language, orderInput(2));

      // Assess
      const tasks = result.trace.filter((entry) => ['ReserveStock', 'ReserveItem', 'Charge', 'Confirm'].includes(entry.state));
      expect(tasks.map((entry) => [entry.state, entry.index, entry.attempt, entry.outcome]).sort()).toEqual(
        [
          ['Charge', undefined, 1, 'succeeded'],
          ['Confirm', undefined, 1, 'succeeded'],
          ['ReserveItem', 0, 1, 'succeeded'],
          ['ReserveItem', 1, 1, 'succeeded'],
          ['ReserveStock', 0, 1, 'succeeded'],
          ['ReserveStock', 1, 1, 'succeeded'],
        ].sort(),
      );
      expect(result.engine).toBe(language === 'jsonata' ? 'local JSONata engine' : 'aws-local-stepfunctions');
    });
  });

  it('gives the same output for the JSONata and the JSONPath definition', async () => {
    // Act
    const jsonpath = await harness.run('jsonpath', orderInput(4));
    const jsonata = await harness.run('jsonata', orderInput(4));

    // Assess: identical apart from the reservation ids the services hand out.
    const withoutIds = (output: unknown) => JSON.parse(JSON.stringify(output).replace(/ord-\d+/g, 'ord-N').replace(/res-\d+/g, 'res-N'));
    expect(withoutIds(jsonata.output)).toEqual(withoutIds(jsonpath.output));
  });
});
