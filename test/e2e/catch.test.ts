import { describe, expect, it } from 'vitest';
import { assertNoSecrets } from '../support/findSecrets.ts';
import { QUERY_LANGUAGES, orderInput, useOrderWorkflowHarness, type OrderWorkflowHarness } from './support/orderWorkflow.ts';
import { requestsOf } from './support/requests.ts';
import type { WorkflowResult } from '../../scripts/workflow/runWorkflow.ts';

describe('Workflow: Catch on refused steps, compensation, parsed Cause', () => {
  let harness: OrderWorkflowHarness;
  useOrderWorkflowHarness((started) => (harness = started));

  /** The reservation ids the service handed out, as the ReserveItem states saw them. */
  const reservationIds = (result: WorkflowResult) =>
    result.events.flatMap((event) =>
      event.type === 'StateExited' && event.state === 'ReserveItem' ? [(event.output as { reservation: { reservationId: string } }).reservation.reservationId] : [],
    );

  describe.each(QUERY_LANGUAGES)('%s definition', (language) => {
    it('catches a 402 on the charge (Mesh.ClientError) without retrying it, releases every reservation, fails with the parsed cause', async () => {
      // Prepare
      harness.mesh.orders.injectFault({ status: 402, body: 'card declined' }, { pathPrefix: '/v1/orders/A-17' });

      // Act
      const result = await harness.run(language, orderInput(3));

      // Assess
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('Order.ChargeRejected');
      expect(JSON.parse(result.cause!)).toEqual({
        error: 'Order.ChargeRejected',
        state: 'Charge',
        meshError: 'Mesh.ClientError',
        reason: { message: 'Service answered 402', service: 'orders', status: 402, detail: 'card declined' },
      });
      assertNoSecrets('workflow result', result);
      const requests = harness.mesh.orders.requests;
      expect(requestsOf.charges(requests, 'A-17')).toHaveLength(1);
      expect(requestsOf.confirmations(requests, 'A-17')).toHaveLength(0);
      expect(requestsOf.reservations(requests)).toHaveLength(3);
      const released = requestsOf.releases(requests).map((request) => request.path);
      expect(released.sort()).toEqual(reservationIds(result).map((id) => `/v1/orders/${id}`).sort());
      expect(released).toHaveLength(3);
      expect(result.trace.filter((entry) => entry.state === 'Charge').map((entry) => entry.outcome)).toEqual(['Mesh.ClientError', 'caught']);
    });

    it('catches a 403 from the mesh (Mesh.Unauthorized, after the invoker\'s one forced refresh) the same way', async () => {
      // Prepare: the invoker retries a 403 once itself (forced refresh), so both attempts answer 403.
      harness.mesh.orders.injectFault({ status: 403, body: 'RBAC: access denied' }, { pathPrefix: '/v1/orders/A-17', times: 2 });

      // Act
      const result = await harness.run(language, orderInput(2));

      // Assess
      expect(result.error).toBe('Order.ChargeRejected');
      expect(JSON.parse(result.cause!)).toMatchObject({ meshError: 'Mesh.Unauthorized', reason: { status: 403, detail: 'RBAC: access denied' } });
      expect(requestsOf.releases(harness.mesh.orders.requests)).toHaveLength(2);
    });

    it('refunds the charge and releases the reservations when the confirmation is refused (409)', async () => {
      // Prepare
      harness.mesh.orders.injectFault({ status: 409, body: 'order was cancelled' }, { pathPrefix: '/v1/orders/A-17/confirm' });

      // Act
      const result = await harness.run(language, orderInput(2));

      // Assess
      expect(result.error).toBe('Order.ConfirmRejected');
      expect(JSON.parse(result.cause!)).toMatchObject({
        state: 'Confirm',
        meshError: 'Mesh.ClientError',
        reason: { status: 409, detail: 'order was cancelled' },
      });
      const requests = harness.mesh.orders.requests;
      expect(requestsOf.refunds(requests, 'A-17')).toHaveLength(1);
      expect(requestsOf.releases(requests)).toHaveLength(2);
    });

    it('records a refused reservation (409) as rejected, releases the others, and fails naming the item', async () => {
      // Prepare: the first reservation request is refused; the other two go through.
      harness.mesh.orders.injectFault({ status: 409, body: 'out of stock' }, { pathPrefix: '/v1/orders', times: 1 });

      // Act
      const result = await harness.run(language, orderInput(3));

      // Assess
      expect(result.error).toBe('Order.ReservationRejected');
      const cause = JSON.parse(result.cause!) as { index: number };
      expect(cause).toMatchObject({
        state: 'ReserveItem',
        rejectedItems: 1,
        meshError: 'Mesh.ClientError',
        reason: { message: 'Service answered 409', status: 409, detail: 'out of stock' },
      });
      expect([0, 1, 2]).toContain(cause.index);
      const requests = harness.mesh.orders.requests;
      expect(requestsOf.charges(requests, 'A-17')).toHaveLength(0);
      expect(requestsOf.releases(requests)).toHaveLength(2);
    });

    it('treats a reservation already gone (404 on release) as released', async () => {
      // Prepare: the charge is refused; one of the releases finds nothing to delete.
      harness.mesh.orders.injectFault({ status: 402 }, { pathPrefix: '/v1/orders/A-17' });
      harness.mesh.orders.injectFault({ status: 404 }, { pathPrefix: '/v1/orders/ord-', times: 1 });

      // Act
      const result = await harness.run(language, orderInput(2));

      // Assess: the compensation finished and the execution still fails for the charge.
      expect(result.error).toBe('Order.ChargeRejected');
      const releases = result.trace.filter((entry) => entry.state === 'ReleaseReservation').map((entry) => entry.outcome);
      expect(releases.sort()).toEqual(['Mesh.ClientError', 'caught', 'succeeded'].sort());
    });
  });
});
