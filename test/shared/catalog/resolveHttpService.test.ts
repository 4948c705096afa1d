import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../../shared/catalog/catalogTypes.ts';
import { resolveHttpService } from '../../../shared/catalog/resolveHttpService.ts';
import { UnknownServiceError } from '../../../shared/errors/meshErrors.ts';

const identity = {
  tls: { certParameter: '/c', keyParameter: '/k' },
  oidc: { mode: 'self_signed', issuer: 'meshgate', clientId: 'sfn', secretParameter: '/s' },
} as const;

const CATALOG: Catalog = {
  ingress: { url: 'https://127.0.0.1:8443', caParameter: '/ca' },
  identities: { default: identity },
  services: {
    orders: {
      authority: 'orders.mesh.example.com',
      audience: 'https://orders.mesh.example.com',
      identity: 'default',
      protocol: 'http',
      methods: ['GET', 'POST'],
      paths: ['/v1/orders', '/v2/'],
    },
    inventory: {
      authority: 'inventory.mesh.example.com',
      audience: 'https://inventory.mesh.example.com',
      identity: 'default',
      protocol: 'grpc',
      reflection: true,
    },
  },
};

function resolveError(run: () => unknown): UnknownServiceError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UnknownServiceError);
    expect((error as UnknownServiceError).name).toBe('Mesh.UnknownService');
    return error as UnknownServiceError;
  }
  throw new Error('expected resolveHttpService to throw');
}

describe('Function: resolveHttpService', () => {
  it.each([
    ['GET', '/v1/orders'],
    ['POST', '/v1/orders/A-17/confirm'],
    ['GET', '/v1/orders?expand=items'],
    ['GET', '/v2/anything'],
  ] as const)('returns the entry for %s %s', (method, path) => {
    // Prepare
    const expected = CATALOG.services.orders;

    // Act
    const service = resolveHttpService(CATALOG, 'orders', method, path);

    // Assess
    expect(service).toBe(expected);
  });

  it.each(['payments', 'constructor', '__proto__', 'toString'])('throws Mesh.UnknownService for a service %j not in the catalog', (name) => {
    // Prepare
    const expected = { message: `Service "${name}" is not in the catalog`, service: name };

    // Act
    const error = resolveError(() => resolveHttpService(CATALOG, name, 'GET', '/v1/orders'));

    // Assess
    expect(JSON.parse(error.message)).toEqual(expected);
  });

  it('throws Mesh.UnknownService for a gRPC service', () => {
    // Prepare
    const expected = { message: 'Service "inventory" is not an HTTP service', service: 'inventory' };

    // Act
    const error = resolveError(() => resolveHttpService(CATALOG, 'inventory', 'GET', '/'));

    // Assess
    expect(JSON.parse(error.message)).toEqual(expected);
  });

  it('throws Mesh.UnknownService for a method the service does not allow', () => {
    // Prepare
    const expected = { message: 'Method DELETE is not allowed for service "orders"', service: 'orders' };

    // Act
    const error = resolveError(() => resolveHttpService(CATALOG, 'orders', 'DELETE', '/v1/orders/7'));

    // Assess
    expect(JSON.parse(error.message)).toEqual(expected);
  });

  it.each(['/v1/ordersX', '/v1', '/', '/v2', '/admin/v1/orders', '/V1/orders'])(
    'throws Mesh.UnknownService for path %s outside the allowed prefixes',
    (path) => {
      // Prepare
      const expected = { message: 'Path is not allowed for service "orders"', service: 'orders' };

      // Act
      const error = resolveError(() => resolveHttpService(CATALOG, 'orders', 'GET', path));

      // Assess
      expect(JSON.parse(error.message)).toEqual(expected);
    },
  );
});
