import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../shared/catalog/parseCatalog.ts';
import { resolveGrpcService } from '../../shared/catalog/resolveGrpcService.ts';

const catalogWith = (services: Record<string, unknown>) => ({
  ingress: { url: 'https://ingress.example.com', caParameter: '/meshgate/ca' },
  identities: {
    default: {
      tls: { certParameter: '/meshgate/cert', keyParameter: '/meshgate/key' },
      oidc: { mode: 'self_signed', issuer: 'https://meshgate', clientId: 'sfn', secretParameter: '/meshgate/jwk' },
    },
  },
  services,
});
const grpc = { authority: 'inventory.mesh', audience: 'https://inventory.mesh', identity: 'default', protocol: 'grpc' };
const http = { ...grpc, protocol: 'http', methods: ['GET'], paths: ['/v1'] };
const reserve = 'inventory.v1.Inventory/Reserve';

describe('Function: resolveGrpcService', () => {
  const catalog = parseCatalog(
    JSON.stringify(
      catalogWith({
        inventory: { ...grpc, reflection: true },
        stock: { ...grpc, descriptorParameter: '/meshgate/fds', rpcs: [reserve, 'inventory.v1.Levels/*'] },
        orders: http,
      }),
    ),
  );

  it('returns a gRPC service entry', () => {
    expect(resolveGrpcService(catalog, 'inventory', reserve)).toMatchObject({ protocol: 'grpc', reflection: true });
  });

  it('allows any rpc of a service without rpcs (the schema decides)', () => {
    expect(resolveGrpcService(catalog, 'inventory', 'billing.v1.Billing/Charge').authority).toBe('inventory.mesh');
  });

  it.each([
    ['an rpc listed exactly', reserve],
    ['a method of a service listed with /*', 'inventory.v1.Levels/Watch'],
    ['another method of a service listed with /*', 'inventory.v1.Levels/Get'],
  ])('allows %s', (_what, rpc) => {
    expect(resolveGrpcService(catalog, 'stock', rpc).rpcs).toEqual([reserve, 'inventory.v1.Levels/*']);
  });

  it.each([
    ['another method of a listed service', 'inventory.v1.Inventory/Cancel'],
    ['a method whose name only starts like a listed one', 'inventory.v1.Inventory/ReserveAll'],
    ['a listed method name in another service', 'inventory.v2.Inventory/Reserve'],
    ['the same names in another case', 'inventory.v1.inventory/Reserve'],
    ['a service whose name only starts like a /* one', 'inventory.v1.LevelsAdmin/Get'],
    ['a service in a sub-package of a /* one', 'inventory.v1.Levels.Admin/Get'],
  ])('refuses %s with Mesh.UnknownService', (_what, rpc) => {
    expect(() => resolveGrpcService(catalog, 'stock', rpc)).toThrow(
      expect.objectContaining({ name: 'Mesh.UnknownService', text: `rpc ${rpc} is not allowed for service "stock"`, details: { service: 'stock' } }),
    );
  });

  it.each([
    ['billing', 'Service "billing" is not in the catalog'],
    ['orders', 'Service "orders" is not a gRPC service'],
    ['__proto__', 'Service "__proto__" is not in the catalog'],
  ])('refuses %s with Mesh.UnknownService', (name, text) => {
    expect(() => resolveGrpcService(catalog, name, reserve)).toThrow(expect.objectContaining({ name: 'Mesh.UnknownService', text }));
  });
});

describe('Function: parseCatalog (gRPC entries)', () => {
  it('refuses an entry with both a descriptor parameter and reflection', () => {
    const text = JSON.stringify(catalogWith({ inventory: { ...grpc, reflection: true, descriptorParameter: '/meshgate/fds' } }));
    expect(() => parseCatalog(text)).toThrow(
      expect.objectContaining({
        name: 'Mesh.ConfigError',
        text: 'Catalog field services.inventory sets both descriptorParameter and reflection: true; choose one',
      }),
    );
  });
});
