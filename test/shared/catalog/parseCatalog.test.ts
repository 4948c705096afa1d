import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../shared/catalog/parseCatalog.ts';
import { ConfigError } from '../../../shared/errors/meshErrors.ts';

type Json = Record<string, any>;

/** The example catalog of CONTRACT.md section 6. */
function contractCatalog(): Json {
  return {
    ingress: { url: 'https://ingress.internal.example.com:443', caParameter: '/meshgate/prod/ingress/ca' },
    identities: {
      default: {
        tls: { certParameter: '/meshgate/prod/client/cert', keyParameter: '/meshgate/prod/client/key' },
        oidc: {
          mode: 'client_credentials',
          issuer: 'https://idp.example.com',
          clientId: 'step-functions',
          auth: 'private_key_jwt',
          secretParameter: '/meshgate/prod/oidc/key',
        },
      },
    },
    services: {
      orders: {
        authority: 'orders.mesh.example.com',
        audience: 'https://orders.mesh.example.com',
        scope: 'orders:write',
        identity: 'default',
        protocol: 'http',
        methods: ['GET', 'POST'],
        paths: ['/v1/orders'],
        timeoutMs: 10000,
      },
    },
  };
}

/** A copy of the contract catalog changed by `change`, as the parameter's text. */
function catalogText(change: (catalog: Json) => void): string {
  const catalog = contractCatalog();
  change(catalog);
  return JSON.stringify(catalog);
}

function parseError(text: string): ConfigError {
  try {
    parseCatalog(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).name).toBe('Mesh.ConfigError');
    return error as ConfigError;
  }
  throw new Error('expected parseCatalog to throw');
}

const grpcService = (extra: Json): Json => ({
  authority: 'inventory.mesh.example.com',
  audience: 'https://inventory.mesh.example.com',
  identity: 'default',
  protocol: 'grpc',
  ...extra,
});

describe('Function: parseCatalog', () => {
  it('parses the contract example catalog', () => {
    // Prepare
    const text = JSON.stringify(contractCatalog());

    // Act
    const catalog = parseCatalog(text);

    // Assess
    expect(catalog).toEqual({
      // The origin drops the default port.
      ingress: { url: 'https://ingress.internal.example.com', caParameter: '/meshgate/prod/ingress/ca' },
      identities: {
        default: {
          tls: { certParameter: '/meshgate/prod/client/cert', keyParameter: '/meshgate/prod/client/key' },
          oidc: {
            mode: 'client_credentials',
            issuer: 'https://idp.example.com',
            clientId: 'step-functions',
            auth: 'private_key_jwt',
            secretParameter: '/meshgate/prod/oidc/key',
            audienceParam: 'resource',
          },
        },
      },
      services: {
        orders: {
          authority: 'orders.mesh.example.com',
          audience: 'https://orders.mesh.example.com',
          scope: 'orders:write',
          identity: 'default',
          protocol: 'http',
          methods: ['GET', 'POST'],
          paths: ['/v1/orders'],
          timeoutMs: 10000,
        },
      },
    });
  });

  it('keeps a non-default ingress port and defaults protocol to http', () => {
    // Prepare
    const text = catalogText((c) => {
      c.ingress.url = 'https://127.0.0.1:8443';
      delete c.services.orders.protocol;
    });

    // Act
    const catalog = parseCatalog(text);

    // Assess
    expect(catalog.ingress.url).toBe('https://127.0.0.1:8443');
    expect(catalog.services.orders?.protocol).toBe('http');
  });

  it('lower-cases the authority and the extra response headers', () => {
    // Prepare
    const text = catalogText((c) => {
      c.services.orders.authority = 'Orders.Mesh.Example.com:8443';
      c.services.orders.responseHeaders = ['X-RateLimit-Remaining'];
    });

    // Act
    const catalog = parseCatalog(text);

    // Assess
    expect(catalog.services.orders?.authority).toBe('orders.mesh.example.com:8443');
    expect(catalog.services.orders?.responseHeaders).toEqual(['x-ratelimit-remaining']);
  });

  it('accepts optional limits and audienceParam "audience"', () => {
    // Prepare
    const text = catalogText((c) => {
      c.identities.default.oidc.audienceParam = 'audience';
      c.identities.default.oidc.auth = 'client_secret_post';
      Object.assign(c.services.orders, { maxResponseBytes: 2048, maxOutputBytes: 1024 });
    });

    // Act
    const catalog = parseCatalog(text);

    // Assess
    expect(catalog.identities.default?.oidc).toMatchObject({ auth: 'client_secret_post', audienceParam: 'audience' });
    expect(catalog.services.orders).toMatchObject({ maxResponseBytes: 2048, maxOutputBytes: 1024 });
  });

  it('parses a self_signed identity with its lifetime', () => {
    // Prepare
    const text = catalogText((c) => {
      c.identities.default.oidc = {
        mode: 'self_signed',
        issuer: 'meshgate',
        clientId: 'step-functions',
        secretParameter: '/meshgate/prod/oidc/key',
        lifetimeSeconds: 120,
      };
    });

    // Act
    const catalog = parseCatalog(text);

    // Assess
    expect(catalog.identities.default?.oidc).toEqual({
      mode: 'self_signed',
      issuer: 'meshgate',
      clientId: 'step-functions',
      secretParameter: '/meshgate/prod/oidc/key',
      lifetimeSeconds: 120,
    });
  });

  it('parses gRPC services with a descriptor parameter or reflection', () => {
    // Prepare
    const text = catalogText((c) => {
      c.services.inventory = grpcService({ descriptorParameter: '/meshgate/prod/inventory/fds', responseMetadata: ['X-Stock'] });
      c.services.pricing = grpcService({ reflection: true });
    });

    // Act
    const catalog = parseCatalog(text);

    // Assess
    expect(catalog.services.inventory).toEqual({
      authority: 'inventory.mesh.example.com',
      audience: 'https://inventory.mesh.example.com',
      identity: 'default',
      protocol: 'grpc',
      descriptorParameter: '/meshgate/prod/inventory/fds',
      responseMetadata: ['x-stock'],
    });
    expect(catalog.services.pricing).toMatchObject({ protocol: 'grpc', reflection: true });
    expect(catalog.services.pricing).not.toHaveProperty('methods');
  });

  it('parses a gRPC rpc allow-list of exact rpcs and whole services', () => {
    // Prepare
    const rpcs = ['inventory.v1.Inventory/Reserve', 'inventory.v1.Levels/*', 'Health/Check'];
    const text = catalogText((c) => {
      c.services.inventory = grpcService({ reflection: true, rpcs });
    });

    // Act
    const catalog = parseCatalog(text);

    // Assess
    expect(catalog.services.inventory?.rpcs).toEqual(rpcs);
  });

  it('throws Mesh.ConfigError with the SyntaxError as cause for bad JSON', () => {
    // Prepare
    const text = '{"ingress": ';

    // Act
    const error = parseError(text);

    // Assess
    expect(JSON.parse(error.message)).toEqual({ message: 'Catalog is not valid JSON' });
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it.each<[string, (c: Json) => void, string]>([
    ['the catalog is an array', () => undefined, 'Catalog field catalog must be an object'],
    ['ingress is missing', (c) => delete c.ingress, 'Catalog field ingress must be an object'],
    ['ingress.url is missing', (c) => delete c.ingress.url, 'Catalog field ingress.url must be a non-empty string'],
    ['ingress.url is not a URL', (c) => (c.ingress.url = 'https://ingress internal:443'), 'Catalog field ingress.url is not a URL'],
    [
      'ingress.url is http',
      (c) => (c.ingress.url = 'http://ingress.internal.example.com'),
      'Catalog field ingress.url must be https://host[:port] with no path, query or credentials',
    ],
    [
      'ingress.url has a path',
      (c) => (c.ingress.url = 'https://ingress.internal.example.com/mesh'),
      'Catalog field ingress.url must be https://host[:port] with no path, query or credentials',
    ],
    [
      'ingress.url has a query',
      (c) => (c.ingress.url = 'https://ingress.internal.example.com/?a=1'),
      'Catalog field ingress.url must be https://host[:port] with no path, query or credentials',
    ],
    [
      'ingress.url has credentials',
      (c) => (c.ingress.url = 'https://user@ingress.internal.example.com'),
      'Catalog field ingress.url must be https://host[:port] with no path, query or credentials',
    ],
    [
      'ingress.caParameter is not a parameter name',
      (c) => (c.ingress.caParameter = '/meshgate/prod/ca?x'),
      'Catalog field ingress.caParameter is not an SSM parameter name',
    ],
    ['identities is missing', (c) => delete c.identities, 'Catalog field identities must be an object'],
    ['services is an array', (c) => (c.services = []), 'Catalog field services must be an object'],
    ['an identity has no tls', (c) => delete c.identities.default.tls, 'Catalog field identities.default.tls must be an object'],
    [
      'an identity has no key parameter',
      (c) => delete c.identities.default.tls.keyParameter,
      'Catalog field identities.default.tls.keyParameter must be a non-empty string',
    ],
    [
      'a cert parameter name has a space',
      (c) => (c.identities.default.tls.certParameter = '/meshgate/prod/client cert'),
      'Catalog field identities.default.tls.certParameter is not an SSM parameter name',
    ],
    ['oidc is missing', (c) => delete c.identities.default.oidc, 'Catalog field identities.default.oidc must be an object'],
    [
      'oidc.mode is unknown',
      (c) => (c.identities.default.oidc.mode = 'password'),
      'Catalog field identities.default.oidc.mode must be "client_credentials" or "self_signed"',
    ],
    [
      'oidc.issuer is not http(s)',
      (c) => (c.identities.default.oidc.issuer = 'idp.example.com'),
      'Catalog field identities.default.oidc.issuer must be an http(s) URL',
    ],
    [
      'oidc.clientId is empty',
      (c) => (c.identities.default.oidc.clientId = ''),
      'Catalog field identities.default.oidc.clientId must be a non-empty string',
    ],
    [
      'oidc.auth is unknown',
      (c) => (c.identities.default.oidc.auth = 'tls_client_auth'),
      'Catalog field identities.default.oidc.auth must be one of client_secret_basic, client_secret_post, private_key_jwt',
    ],
    [
      'oidc.auth is missing',
      (c) => delete c.identities.default.oidc.auth,
      'Catalog field identities.default.oidc.auth must be a non-empty string',
    ],
    [
      'oidc.audienceParam is unknown',
      (c) => (c.identities.default.oidc.audienceParam = 'aud'),
      'Catalog field identities.default.oidc.audienceParam must be "resource" or "audience"',
    ],
    [
      'oidc.secretParameter is missing',
      (c) => delete c.identities.default.oidc.secretParameter,
      'Catalog field identities.default.oidc.secretParameter must be a non-empty string',
    ],
    [
      'a self_signed lifetime is over 300 s',
      (c) => Object.assign(c.identities.default.oidc, { mode: 'self_signed', lifetimeSeconds: 301 }),
      'Catalog field identities.default.oidc.lifetimeSeconds must be an integer from 10 to 300',
    ],
    [
      'a service name has upper case',
      (c) => (c.services.Orders = c.services.orders),
      'Catalog service name "Orders" is not valid',
    ],
    [
      'a service names an unknown identity',
      (c) => (c.services.orders.identity = 'batch'),
      'Catalog field services.orders.identity names unknown identity "batch"',
    ],
    [
      'a service names an inherited property as identity',
      (c) => (c.services.orders.identity = 'constructor'),
      'Catalog field services.orders.identity names unknown identity "constructor"',
    ],
    ['a service is not an object', (c) => (c.services.orders = 'orders'), 'Catalog field services.orders must be an object'],
    [
      'a service has no authority',
      (c) => delete c.services.orders.authority,
      'Catalog field services.orders.authority must be a non-empty string',
    ],
    [
      'a service authority is a URL',
      (c) => (c.services.orders.authority = 'https://orders.mesh.example.com'),
      'Catalog field services.orders.authority is not a host name',
    ],
    [
      'a service has no audience',
      (c) => delete c.services.orders.audience,
      'Catalog field services.orders.audience must be a non-empty string',
    ],
    [
      'a service protocol is unknown',
      (c) => (c.services.orders.protocol = 'websocket'),
      'Catalog field services.orders.protocol must be "http" or "grpc"',
    ],
    [
      'an http service has no methods',
      (c) => delete c.services.orders.methods,
      'Catalog field services.orders.methods must be a non-empty list of strings',
    ],
    [
      'an http service has an empty methods list',
      (c) => (c.services.orders.methods = []),
      'Catalog field services.orders.methods must be a non-empty list of strings',
    ],
    [
      'an http service lists an unknown method',
      (c) => (c.services.orders.methods = ['GET', 'TRACE']),
      'Catalog field services.orders.methods has unknown method "TRACE"',
    ],
    [
      'an http service lists a lower-case method',
      (c) => (c.services.orders.methods = ['get']),
      'Catalog field services.orders.methods has unknown method "get"',
    ],
    [
      'an http service has no paths',
      (c) => delete c.services.orders.paths,
      'Catalog field services.orders.paths must be a non-empty list of strings',
    ],
    [
      'a path prefix is relative',
      (c) => (c.services.orders.paths = ['v1/orders']),
      'Catalog field services.orders.paths has invalid prefix "v1/orders"',
    ],
    [
      'a path prefix has ..',
      (c) => (c.services.orders.paths = ['/v1/../admin']),
      'Catalog field services.orders.paths has invalid prefix "/v1/../admin"',
    ],
    [
      'a path prefix has a query',
      (c) => (c.services.orders.paths = ['/v1/orders?x']),
      'Catalog field services.orders.paths has invalid prefix "/v1/orders?x"',
    ],
    [
      'timeoutMs is not an integer',
      (c) => (c.services.orders.timeoutMs = 1.5),
      'Catalog field services.orders.timeoutMs must be an integer from 1 to 900000',
    ],
    [
      'timeoutMs is 0',
      (c) => (c.services.orders.timeoutMs = 0),
      'Catalog field services.orders.timeoutMs must be an integer from 1 to 900000',
    ],
    [
      'maxOutputBytes is over the state limit',
      (c) => (c.services.orders.maxOutputBytes = 250 * 1024 + 1),
      'Catalog field services.orders.maxOutputBytes must be an integer from 1 to 256000',
    ],
    [
      'maxResponseBytes is a string',
      (c) => (c.services.orders.maxResponseBytes = '1024'),
      'Catalog field services.orders.maxResponseBytes must be an integer from 1 to 67108864',
    ],
    [
      'responseHeaders is a string',
      (c) => (c.services.orders.responseHeaders = 'etag'),
      'Catalog field services.orders.responseHeaders must be a non-empty list of strings',
    ],
    [
      'scope is empty',
      (c) => (c.services.orders.scope = ''),
      'Catalog field services.orders.scope must be a non-empty string',
    ],
    [
      'a grpc service has neither descriptorParameter nor reflection',
      (c) => (c.services.inventory = grpcService({})),
      'Catalog field services.inventory needs descriptorParameter or reflection: true',
    ],
    [
      'a grpc service has reflection: false only',
      (c) => (c.services.inventory = grpcService({ reflection: false })),
      'Catalog field services.inventory needs descriptorParameter or reflection: true',
    ],
    [
      'a grpc service has reflection: "yes"',
      (c) => (c.services.inventory = grpcService({ reflection: 'yes' })),
      'Catalog field services.inventory.reflection must be a boolean',
    ],
    [
      'grpc rpcs is empty',
      (c) => (c.services.inventory = grpcService({ reflection: true, rpcs: [] })),
      'Catalog field services.inventory.rpcs must be a non-empty list of strings',
    ],
    [
      'grpc rpcs is a string',
      (c) => (c.services.inventory = grpcService({ reflection: true, rpcs: 'inventory.v1.Inventory/Reserve' })),
      'Catalog field services.inventory.rpcs must be a non-empty list of strings',
    ],
    [
      'a grpc rpc is a bare service',
      (c) => (c.services.inventory = grpcService({ reflection: true, rpcs: ['inventory.v1.Inventory'] })),
      'Catalog field services.inventory.rpcs has "inventory.v1.Inventory"; use "package.Service/Method" or "package.Service/*"',
    ],
    [
      'a grpc rpc is written as a path',
      (c) => (c.services.inventory = grpcService({ reflection: true, rpcs: ['/inventory.v1.Inventory/Reserve'] })),
      'Catalog field services.inventory.rpcs has "/inventory.v1.Inventory/Reserve"; use "package.Service/Method" or "package.Service/*"',
    ],
    [
      'a grpc rpc wildcards the package',
      (c) => (c.services.inventory = grpcService({ reflection: true, rpcs: ['inventory.v1.*'] })),
      'Catalog field services.inventory.rpcs has "inventory.v1.*"; use "package.Service/Method" or "package.Service/*"',
    ],
    [
      'a grpc rpc wildcards part of a method',
      (c) => (c.services.inventory = grpcService({ reflection: true, rpcs: ['inventory.v1.Inventory/Res*'] })),
      'Catalog field services.inventory.rpcs has "inventory.v1.Inventory/Res*"; use "package.Service/Method" or "package.Service/*"',
    ],
    [
      'an http service lists rpcs',
      (c) => (c.services.orders.rpcs = ['orders.v1.Orders/*']),
      'Catalog field services.orders.rpcs is for gRPC services only (protocol: "grpc")',
    ],
    [
      'a grpc descriptorParameter is not a parameter name',
      (c) => (c.services.inventory = grpcService({ descriptorParameter: 'fds descriptor' })),
      'Catalog field services.inventory.descriptorParameter is not an SSM parameter name',
    ],
  ])('throws Mesh.ConfigError naming the field when %s', (what, change, message) => {
    // Prepare
    const text = what === 'the catalog is an array' ? '[]' : catalogText(change);

    // Act
    const error = parseError(text);

    // Assess
    expect(JSON.parse(error.message)).toEqual({ message });
  });
});
