import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LocalMesh } from '../mesh/startLocalMesh.ts';
import { useLocalMesh } from '../support/useLocalMesh.ts';
import { Sandbox } from '../support/invokeHandler.ts';

// A POST that ASL retries (or Lambda delivers twice) carries the same Idempotency-Key, and the
// example service de-duplicates by it: one effect however many deliveries.
let mesh: LocalMesh;
useLocalMesh((started) => (mesh = started));

beforeEach(() => {
  mesh.orders.reset();
});

/** The Step Functions context object as `"context.$": "$$"` passes it, at a given retry. */
function stateContext(retryCount: number, stateName = 'CreateOrder', mapIndex?: number) {
  return {
    Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:fulfil:run-42', StartTime: '2026-11-26T10:00:00.000Z' },
    State: { Name: stateName, EnteredTime: new Date(Date.now() + retryCount).toISOString(), RetryCount: retryCount },
    StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:fulfil', Name: 'fulfil' },
    ...(mapIndex === undefined ? {} : { Map: { Item: { Index: mapIndex, Value: {} } } }),
  };
}

const createOrder = (context: unknown) => ({
  service: 'orders',
  method: 'POST',
  path: '/v1/orders',
  body: { sku: 'B-2', quantity: 3 },
  timeoutMs: 250,
  context,
});

async function waitForEffects(count: number): Promise<void> {
  for (let waited = 0; mesh.orders.effects < count && waited < 3_000; waited += 20) await sleep(20);
}

describe('Transport: idempotency', () => {
  it('makes one effect for three deliveries: answer lost, ASL retry, retry in a new sandbox', async () => {
    // Prepare: the first delivery's answer comes after the invoker gave up (the effect still happens)
    const warm = await new Sandbox().coldStart();
    mesh.orders.injectFault({ delayMs: 600 }, { pathPrefix: '/v1/orders' });
    // Act
    const lost = await warm.invokeError(createOrder(stateContext(0)));
    await waitForEffects(1);
    const retried = await warm.invoke(createOrder(stateContext(1)));
    const coldRetried = await (await new Sandbox().coldStart()).invoke(createOrder(stateContext(2)));
    // Assess
    expect(lost.name).toBe('Mesh.Timeout');
    expect(mesh.orders.effects).toBe(1);
    const keys = mesh.orders.requests.map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(retried).toMatchObject({ ok: true, status: 201, meta: { idempotencyKey: keys[0] } });
    expect(coldRetried.body).toEqual(retried.body);
    expect(coldRetried.meta.idempotencyKey).toBe(keys[0]);
  });

  it('keeps distinct work distinct: another state or Map item gets another key', async () => {
    // Prepare
    const sandbox = await new Sandbox().coldStart();
    // Act
    await sandbox.invoke(createOrder(stateContext(0, 'CreateOrder', 0)));
    await sandbox.invoke(createOrder(stateContext(0, 'CreateOrder', 1)));
    await sandbox.invoke(createOrder(stateContext(0, 'CreateBackorder')));
    await sandbox.invoke(createOrder(stateContext(3, 'CreateBackorder')));
    // Assess
    expect(mesh.orders.effects).toBe(3);
    expect(new Set(mesh.orders.requests.map((request) => request.headers['idempotency-key'])).size).toBe(3);
  });

  it('uses the task idempotencyKey over the default, across sandboxes', async () => {
    // Prepare
    const task = { ...createOrder(stateContext(0)), idempotencyKey: 'order-B-2-customer-9' };
    // Act
    await (await new Sandbox().coldStart()).invoke(task);
    await (await new Sandbox().coldStart()).invoke({ ...task, context: stateContext(0, 'SomewhereElse') });
    // Assess
    expect(mesh.orders.effects).toBe(1);
    expect(mesh.orders.requests.map((request) => request.headers['idempotency-key'])).toEqual(['order-B-2-customer-9', 'order-B-2-customer-9']);
  });
});
