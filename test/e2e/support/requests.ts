import type { InventoryRequest } from '../../mesh/startInventoryService.ts';
import type { OrdersRequest } from '../../mesh/startOrdersService.ts';

/** The orders service's requests of one kind, as the workflow's steps make them. */
export const requestsOf = {
  reservations: (requests: OrdersRequest[]) => requests.filter((r) => r.method === 'POST' && r.path === '/v1/orders'),
  charges: (requests: OrdersRequest[], orderId: string) =>
    requests.filter((r) => r.method === 'PATCH' && r.path === `/v1/orders/${orderId}` && JSON.parse(r.body).payment?.status === 'captured'),
  refunds: (requests: OrdersRequest[], orderId: string) =>
    requests.filter((r) => r.method === 'PATCH' && r.path === `/v1/orders/${orderId}` && JSON.parse(r.body).payment?.status === 'refunded'),
  confirmations: (requests: OrdersRequest[], orderId: string) =>
    requests.filter((r) => r.method === 'POST' && r.path === `/v1/orders/${orderId}/confirm`),
  releases: (requests: OrdersRequest[]) => requests.filter((r) => r.method === 'DELETE'),
};

/** The idempotency keys the requests carried. */
export function keysOf(requests: OrdersRequest[]): string[] {
  return requests.map((request) => String(request.headers['idempotency-key']));
}

/** The idempotency keys the inventory service's Reserve calls carried (gRPC metadata). */
export function stockKeysOf(requests: InventoryRequest[]): string[] {
  return requests.map((request) => String(request.metadata['idempotency-key']));
}
