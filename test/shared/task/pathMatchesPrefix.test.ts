import { describe, expect, it } from 'vitest';
import { pathMatchesPrefix } from '../../../shared/task/pathMatchesPrefix.ts';

describe('Function: pathMatchesPrefix', () => {
  it.each([
    ['/v1/orders', '/v1/orders'],
    ['/v1/orders/', '/v1/orders'],
    ['/v1/orders/7', '/v1/orders'],
    ['/v1/orders/7/confirm', '/v1/orders'],
    ['/v1/orders?x=1', '/v1/orders'],
    ['/v1/orders#x', '/v1/orders'],
    ['/v1/orders/7?x=/v2', '/v1/orders'],
    ['/anything', '/'],
    ['/', '/'],
    ['/v1/orders/7', '/v1/orders/'],
  ])('allows %j under the prefix %j', (path, prefix) => {
    // Act & Assess
    expect(pathMatchesPrefix(path, prefix)).toBe(true);
  });

  it.each([
    ['/v1/ordersX', '/v1/orders'],
    ['/v1/orders-admin', '/v1/orders'],
    ['/v1/order', '/v1/orders'],
    ['/v1', '/v1/orders'],
    ['/v2/orders', '/v1/orders'],
    ['/V1/orders', '/v1/orders'],
    ['/v1/orders%2F7', '/v1/orders'],
    ['/v1/%6Frders', '/v1/orders'],
    ['/v1/ordersX?/v1/orders', '/v1/orders'],
    ['/v1/orders', '/v1/orders/'],
    ['/v1/orders', ''],
    ['/v1/orders', 'v1/orders'],
  ])('refuses %j under the prefix %j', (path, prefix) => {
    // Act & Assess
    expect(pathMatchesPrefix(path, prefix)).toBe(false);
  });
});
