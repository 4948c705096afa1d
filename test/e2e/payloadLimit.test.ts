import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lambdaInvokeAdapter, STATE_PAYLOAD_LIMIT_BYTES } from '../../scripts/workflow/lambdaInvokeAdapter.ts';
/** parseCatalog's ceiling for maxOutputBytes (250 KiB). */
const CATALOG_MAX_OUTPUT_BYTES = 250 * 1024;
import { QUERY_LANGUAGES, orderInput, startOrderWorkflowHarness, type OrderWorkflowHarness } from './support/orderWorkflow.ts';

describe('Workflow: outputs over the state payload limit', () => {
  let harness: OrderWorkflowHarness;
  const bigBody = { bodyBytes: 300_000 };

  beforeAll(async () => {
    harness = await startOrderWorkflowHarness();
  });
  afterAll(async () => {
    await harness?.stop();
  });
  beforeEach(() => harness.reset());

  const errorsIn = (result: Awaited<ReturnType<OrderWorkflowHarness['run']>>) =>
    result.events.flatMap((event) => (event.type === 'StateFailed' ? [event.error] : []));

  describe.each(QUERY_LANGUAGES)('%s definition', (language) => {
    it('fails as Mesh.ResponseTooLarge, never as States.DataLimitExceeded, and does not retry it', async () => {
      // Prepare: the confirmation answers 300 000 bytes of JSON, more than a state may carry (262 144).
      expect(bigBody.bodyBytes).toBeGreaterThan(STATE_PAYLOAD_LIMIT_BYTES);
      harness.mesh.orders.injectFault(bigBody, { pathPrefix: '/v1/orders/A-17/confirm' });

      // Act
      const result = await harness.run(language, orderInput(2));

      // Assess
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('Mesh.ResponseTooLarge');
      expect(errorsIn(result)).not.toContain('States.DataLimitExceeded');
      expect(result.trace.filter((entry) => entry.state === 'Confirm').map((entry) => entry.outcome)).toEqual(['Mesh.ResponseTooLarge']);
      const cause = JSON.parse(result.cause!) as { errorMessage: string };
      expect(JSON.parse(cause.errorMessage)).toMatchObject({ service: 'orders' });
      expect(result.cause!.length).toBeLessThan(8 * 1024);
    });
  });

  it('keeps the lambda:invoke result under the state limit even at the largest maxOutputBytes the catalog allows', async () => {
    // Prepare: how many bytes a confirmation's output adds around its body (headers, meta, key).
    const task = { service: 'orders', method: 'POST', path: '/v1/orders/A-17/confirm', idempotencyKey: `mg1-${'k'.repeat(32)}` };
    const probeBytes = 100_000;
    harness.mesh.orders.injectFault({ bodyBytes: probeBytes }, { pathPrefix: '/v1/orders/A-17/confirm' });
    const probe = await harness.invokeFunction(task);
    if (!probe.ok) throw new Error(probe.error.errorMessage);
    const overhead = Buffer.byteLength(JSON.stringify(probe.payload)) - probeBytes;
    // A catalog whose orders entry allows the most the catalog accepts, read by a new sandbox.
    const original = harness.mesh.catalog;
    const orders = original.services.orders!;
    await harness.mesh.putCatalog({ ...original, services: { ...original.services, orders: { ...orders, maxOutputBytes: CATALOG_MAX_OUTPUT_BYTES } } });
    await harness.coldStart();
    // An output just under that cap: the invoker lets it through, and the integration's envelope still fits.
    harness.mesh.orders.injectFault({ bodyBytes: CATALOG_MAX_OUTPUT_BYTES - overhead - 64 }, { pathPrefix: '/v1/orders/A-17/confirm' });
    const lambdaInvoke = lambdaInvokeAdapter({ [harness.functionArn]: { handler: (event, context) => harness.invokeHandler(event, context) } });

    try {
      // Act
      const result = await lambdaInvoke({ FunctionName: harness.functionArn, Payload: task });

      // Assess
      const envelopeBytes = Buffer.byteLength(JSON.stringify(result));
      expect(envelopeBytes).toBeGreaterThan(CATALOG_MAX_OUTPUT_BYTES - 1024);
      expect(envelopeBytes).toBeLessThanOrEqual(STATE_PAYLOAD_LIMIT_BYTES);
    } finally {
      await harness.mesh.putCatalog(original);
      await harness.coldStart();
    }
  });
});
