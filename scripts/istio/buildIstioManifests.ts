import type { Catalog, ServiceConfig } from '../../shared/catalog/catalogTypes.ts';
import type { IssuerKeys } from './issuerKeys.ts';
import type {
  AuthorizationPolicyManifest,
  GatewayManifest,
  IstioManifest,
  IstioMetadata,
  JwtRule,
  RequestAuthenticationManifest,
} from './istioManifest.ts';
import type { IstioOptions } from './istioOptions.ts';

/**
 * The mesh side that accepts the catalog's calls, at the ingress gateway:
 * - a Gateway: one HTTPS server, `tls.mode: MUTUAL` with `credentialName`, hosts = the services' authorities;
 * - a RequestAuthentication: one JWT rule per issuer (jwksUri, or inline public jwks for
 *   self_signed identities), audiences = the audiences of the services using that issuer;
 * - one ALLOW AuthorizationPolicy per service: the identity's principal (`iss/sub`), on the
 *   service's host, with the catalog's methods and path prefixes (gRPC: POST, on the `rpcs` paths
 *   when listed), and only with a token minted for the service's audience (so a token for one
 *   service is no key to another).
 *
 * @example
 * const manifests = buildIstioManifests(catalog, DEFAULT_ISTIO_OPTIONS, { 'https://idp.example.com': { jwksUri } });
 */
export function buildIstioManifests(catalog: Catalog, options: IstioOptions, issuerKeys: IssuerKeys): IstioManifest[] {
  const services = Object.entries(catalog.services).sort(([a], [b]) => a.localeCompare(b));
  return [
    gateway(catalog, services, options),
    requestAuthentication(catalog, services, options, issuerKeys),
    ...services.map(([name, service]) => authorizationPolicy(catalog, name, service, options)),
  ];
}

function metadata(name: string, options: IstioOptions): IstioMetadata {
  return { name, namespace: options.namespace, labels: { 'app.kubernetes.io/part-of': 'meshgate' } };
}

function gateway(catalog: Catalog, services: Array<[string, ServiceConfig]>, options: IstioOptions): GatewayManifest {
  const url = new URL(catalog.ingress.url);
  const hosts = [...new Set(services.map(([, service]) => hostOf(service.authority)))].sort();
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: metadata(options.name, options),
    spec: {
      selector: { ...options.selector },
      servers: [
        {
          port: { number: options.gatewayPort ?? Number(url.port || 443), name: `https-${options.name}`, protocol: 'HTTPS' },
          hosts,
          tls: { mode: 'MUTUAL', credentialName: options.credentialName, minProtocolVersion: 'TLSV1_2' },
        },
      ],
    },
  };
}

function requestAuthentication(
  catalog: Catalog,
  services: Array<[string, ServiceConfig]>,
  options: IstioOptions,
  issuerKeys: IssuerKeys,
): RequestAuthenticationManifest {
  const audiences = new Map<string, Set<string>>();
  for (const [, service] of services) {
    const issuer = catalog.identities[service.identity]!.oidc.issuer;
    if (!audiences.has(issuer)) audiences.set(issuer, new Set());
    audiences.get(issuer)!.add(service.audience);
  }
  const jwtRules = [...audiences.keys()].sort().map((issuer): JwtRule => {
    const rule: JwtRule = { issuer, audiences: [...audiences.get(issuer)!].sort() };
    const keys = issuerKeys[issuer];
    // Istio uses jwks over jwksUri when both are set; only one is ever written.
    if (keys?.keys?.length) rule.jwks = JSON.stringify({ keys: keys.keys });
    else if (keys?.jwksUri) rule.jwksUri = keys.jwksUri;
    return rule;
  });
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'RequestAuthentication',
    metadata: metadata(`${options.name}-jwt`, options),
    spec: { selector: { matchLabels: { ...options.selector } }, jwtRules },
  };
}

function authorizationPolicy(catalog: Catalog, name: string, service: ServiceConfig, options: IstioOptions): AuthorizationPolicyManifest {
  const oidc = catalog.identities[service.identity]!.oidc;
  const subject = options.principals[service.identity] ?? oidc.clientId;
  const operation =
    service.protocol === 'grpc'
      ? { hosts: [service.authority], methods: ['POST'], ...grpcPaths(service) }
      : { hosts: [service.authority], methods: [...(service.methods ?? [])], paths: (service.paths ?? []).flatMap(prefixPaths) };
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: metadata(`${options.name}-${name}`, options),
    spec: {
      selector: { matchLabels: { ...options.selector } },
      action: 'ALLOW',
      rules: [
        {
          from: [{ source: { requestPrincipals: [`${oidc.issuer}/${subject}`] } }],
          to: [{ operation }],
          when: [{ key: 'request.auth.audiences', values: [service.audience] }],
        },
      ],
    },
  };
}

/** The paths the invoker calls on a gRPC service's reflection service (v1, then v1alpha). */
const REFLECTION_PATHS = [
  '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
  '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo',
];

/**
 * gRPC: every call is a POST to `/package.Service/Method`. With `rpcs`, only those paths
 * (`package.Service/*` as Istio's prefix `/package.Service/*`), plus the reflection paths when the
 * invoker reads the schema by reflection; without `rpcs`, any path (the catalog names none).
 */
function grpcPaths(service: ServiceConfig): { paths?: string[] } {
  if (!service.rpcs) return {};
  const paths = service.rpcs.map((rpc) => `/${rpc}`);
  return { paths: [...new Set(service.reflection ? [...paths, ...REFLECTION_PATHS] : paths)] };
}

/**
 * The catalog matches prefixes on segment boundaries (`/v1/orders` allows `/v1/orders` and
 * `/v1/orders/7`, not `/v1/ordersX`); Istio's `*` suffix is a plain string prefix, so both forms.
 */
function prefixPaths(prefix: string): string[] {
  const base = prefix.replace(/\/+$/, '');
  return base === '' ? ['/*'] : [base, `${base}/*`];
}

function hostOf(authority: string): string {
  return authority.replace(/:\d+$/, '');
}
