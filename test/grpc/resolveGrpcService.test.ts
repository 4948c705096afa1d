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

describe('Function: resolveGrpcService', () => {
  const catalog = parseCatalog(JSON.stringify(catalogWith({ inventory: { ...grpc, reflection: true }, orders: http })));

  it('returns a gRPC service entry', () => {
    expect(resolveGrpcService(catalog, 'inventory')).toMatchObject({ protocol: 'grpc', reflection: true });
  });

  it.each([
    ['billing', 'Service "billing" is not in the catalog'],
    ['orders', 'Service "orders" is not a gRPC service'],
    ['__proto__', 'Service "__proto__" is not in the catalog'],
  ])('refuses %s with Mesh.UnknownService', (name, text) => {
    expect(() => resolveGrpcService(catalog, name)).toThrow(expect.objectContaining({ name: 'Mesh.UnknownService', text }));
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
