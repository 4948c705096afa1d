import type { Catalog, HttpMethod, IdentityConfig, ServiceConfig } from '../../shared/catalog/catalogTypes.ts';
import { LocalParameter } from './localParameter.ts';

export interface LocalEndpoints {
  /** `https://127.0.0.1:<port>` of the ingress. */
  ingressUrl: string;
  /** The IdP's issuer identifier. */
  issuer: string;
}

/** Issuer of tokens the invoker signs itself (oidc.mode self_signed); the ingress trusts its key. */
export const selfSignedIssuer = 'https://meshgate.local/self-signed';

const methods: HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const tls = { certParameter: LocalParameter.ClientCert, keyParameter: LocalParameter.ClientKey };

/**
 * The catalog of the local mesh: four HTTP services, all routed by the ingress to the orders workload,
 * one per way of getting a token (private_key_jwt, client_secret_basic, client_secret_post, self-signed);
 * and two gRPC services routed to the inventory workload, one per way of getting the schema (the
 * descriptor one with an rpc allow-list, the reflection one without).
 * Services and authorities do not depend on the endpoints.
 *
 * @example
 * const catalog = localCatalog({ ingressUrl: ingress.url, issuer: idp.issuer });
 */
export function localCatalog(endpoints: LocalEndpoints): Catalog {
  const identities: Record<string, IdentityConfig> = {
    default: {
      tls: { ...tls },
      oidc: {
        mode: 'client_credentials',
        issuer: endpoints.issuer,
        clientId: 'meshgate-jwt',
        auth: 'private_key_jwt',
        secretParameter: LocalParameter.JwtClientKey,
      },
    },
    basic: {
      tls: { ...tls },
      oidc: {
        mode: 'client_credentials',
        issuer: endpoints.issuer,
        clientId: 'meshgate-basic',
        auth: 'client_secret_basic',
        secretParameter: LocalParameter.BasicSecret,
      },
    },
    post: {
      tls: { ...tls },
      oidc: {
        mode: 'client_credentials',
        issuer: endpoints.issuer,
        clientId: 'meshgate-post',
        auth: 'client_secret_post',
        secretParameter: LocalParameter.PostSecret,
      },
    },
    selfsigned: {
      tls: { ...tls },
      oidc: {
        mode: 'self_signed',
        issuer: selfSignedIssuer,
        clientId: 'meshgate-invoker',
        secretParameter: LocalParameter.SigningKey,
      },
    },
  };
  const services: Record<string, ServiceConfig> = {
    orders: { ...service('orders', 'default', ['/v1/orders', '/v1/admin']), scope: 'orders:write' },
    'orders-basic': service('orders-basic', 'basic', ['/v1/orders']),
    'orders-post': service('orders-post', 'post', ['/v1/orders']),
    'orders-selfsigned': service('orders-selfsigned', 'selfsigned', ['/v1/orders']),
    // gRPC, both routed to the inventory workload: one reads its schema from SSM and allows only Reserve;
    // one reads it by server reflection and, without rpcs, allows every unary rpc reflection shows.
    inventory: {
      ...grpcService('inventory', { descriptorParameter: LocalParameter.InventoryDescriptor }),
      rpcs: ['inventory.v1.Inventory/Reserve'],
    },
    'inventory-reflection': grpcService('inventory-reflection', { reflection: true }),
  };
  return {
    ingress: { url: endpoints.ingressUrl, caParameter: LocalParameter.IngressCa },
    identities,
    services,
  };
}

function grpcService(name: string, schema: Pick<ServiceConfig, 'descriptorParameter' | 'reflection'>): ServiceConfig {
  return {
    authority: `${name}.mesh.local`,
    audience: `https://${name}.mesh.local`,
    identity: 'default',
    protocol: 'grpc',
    ...schema,
    timeoutMs: 10_000,
    responseMetadata: ['x-inventory-region', 'x-stock-remaining'],
  };
}

function service(name: string, identity: string, paths: string[]): ServiceConfig {
  return {
    authority: `${name}.mesh.local`,
    audience: `https://${name}.mesh.local`,
    identity,
    protocol: 'http',
    methods: [...methods],
    paths,
    timeoutMs: 10_000,
  };
}
