import type { Catalog } from '../../shared/catalog/catalogTypes.ts';
import { generateSigningJwk } from './generateSigningJwk.ts';
import { localCatalog, selfSignedIssuer } from './localCatalog.ts';
import { LocalParameter } from './localParameter.ts';
import { createPki } from './pki.ts';
import type { IssuedCertificate } from './pki.ts';
import { startIdentityProvider } from './startIdentityProvider.ts';
import type { LocalIdentityProvider } from './startIdentityProvider.ts';
import { inventoryDescriptorSet } from './inventoryDescriptorSet.ts';
import { startIngress } from './startIngress.ts';
import type { LocalIngress } from './startIngress.ts';
import { startInventoryService } from './startInventoryService.ts';
import type { InventoryService } from './startInventoryService.ts';
import { startOrdersService } from './startOrdersService.ts';
import type { OrdersService } from './startOrdersService.ts';
import { startSsm } from './startSsm.ts';
import type { LocalSsm } from './startSsm.ts';

export interface LocalMeshOptions {
  /** Lifetime of the IdP's access tokens (default 300). */
  accessTokenTtlSeconds?: number;
  /** Envoy's idle_timeout for downstream connections (default 60 000). */
  ingressIdleTimeoutMs?: number;
}

/** What an invoker needs in its environment to run against the mesh. */
export interface LocalMeshEnv {
  MESHGATE_CATALOG_PARAMETER: string;
  AWS_ENDPOINT_URL_SSM: string;
  AWS_REGION: 'us-east-1';
  AWS_ACCESS_KEY_ID: 'testing';
  AWS_SECRET_ACCESS_KEY: 'testing';
  MESHGATE_CACHE_SECONDS: '300';
  [name: string]: string;
}

export interface LocalMesh {
  pki: {
    meshCaPem: string;
    clientCaPem: string;
    /** A new client certificate from the client CA (clientAuth EKU); not written to SSM. */
    issueClientCertificate(commonName?: string): Promise<IssuedCertificate>;
  };
  /** The client certificate and key held in SSM for every identity. */
  clientCertificate: IssuedCertificate;
  ssm: LocalSsm;
  idp: LocalIdentityProvider;
  orders: OrdersService;
  /** The gRPC workload behind the `inventory` and `inventory-reflection` services. */
  inventory: InventoryService;
  ingress: LocalIngress;
  catalog: Catalog;
  catalogParameter: string;
  /** Writes a catalog variant to the catalog parameter; resolves to its version. */
  putCatalog(catalog: Catalog): Promise<number>;
  env: LocalMeshEnv;
  /** Every secret value the mesh generated, for scanning logs and outputs for leaks. */
  secrets(): string[];
  /** Stops every part; idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the local mesh of real parts on loopback: moto_server for SSM, oidc-provider as the IdP, the
 * orders workload, and a TLS ingress in front of it that behaves like Istio's gateway; writes the
 * catalog and every credential to SSM.
 *
 * @example
 * const mesh = await startLocalMesh({ accessTokenTtlSeconds: 60 });
 * Object.assign(process.env, mesh.env);
 * await mesh.stop();
 */
export async function startLocalMesh(options: LocalMeshOptions = {}): Promise<LocalMesh> {
  // The service entries do not depend on the endpoints, so the PKI and the IdP can start before them.
  const services = Object.values(localCatalog({ ingressUrl: 'https://127.0.0.1', issuer: 'http://127.0.0.1' }).services);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = () => Promise.allSettled(stops.map((stop) => stop())).then(() => undefined);
  const started = <T extends { stop(): Promise<void> }>(part: T): T => {
    stops.push(() => part.stop());
    return part;
  };

  try {
    const [ssm, orders, inventory, inventoryDescriptor, idp, pki, selfSigned] = await Promise.all([
      startSsm().then(started),
      startOrdersService().then(started),
      startInventoryService().then(started),
      inventoryDescriptorSet(),
      startIdentityProvider({
        audiences: services.map((service) => service.audience),
        accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 300,
      }).then(started),
      createPki(services.map((service) => service.authority)),
      generateSigningJwk('self-signed'),
    ]);
    const [clientCertificate, ingress] = await Promise.all([
      pki.issueClientCertificate('meshgate-invoker'),
      startIngress({
        serverCertPem: pki.server.certPem,
        serverKeyPem: pki.server.keyPem,
        clientCaPem: pki.clientCaPem,
        routes: services.map(({ authority, audience, protocol }) => ({
          authority,
          audience,
          ...(protocol === 'grpc' ? { grpcUpstreamUrl: inventory.url } : {}),
        })),
        upstreamUrl: orders.url,
        idp: { issuer: idp.issuer, jwksUri: idp.jwksUri },
        selfSigned: { issuer: selfSignedIssuer, publicJwk: selfSigned.publicJwk },
        idleTimeoutMs: options.ingressIdleTimeoutMs ?? 60_000,
      }).then(started),
    ]);

    const catalog = localCatalog({ ingressUrl: ingress.url, issuer: idp.issuer });
    const secure = { secure: true };
    await Promise.all([
      ssm.put(LocalParameter.IngressCa, pki.meshCaPem),
      ssm.put(LocalParameter.ClientCert, clientCertificate.certPem),
      ssm.put(LocalParameter.ClientKey, clientCertificate.keyPem, secure),
      ssm.put(LocalParameter.JwtClientKey, JSON.stringify(idp.jwtClientKey), secure),
      ssm.put(LocalParameter.BasicSecret, idp.clientSecrets.basic, secure),
      ssm.put(LocalParameter.PostSecret, idp.clientSecrets.post, secure),
      ssm.put(LocalParameter.SigningKey, JSON.stringify(selfSigned.privateJwk), secure),
      ssm.put(LocalParameter.InventoryDescriptor, inventoryDescriptor),
      ssm.put(LocalParameter.Catalog, JSON.stringify(catalog)),
    ]);

    let stopping: Promise<void> | undefined;
    const mesh: LocalMesh = {
      pki: {
        meshCaPem: pki.meshCaPem,
        clientCaPem: pki.clientCaPem,
        issueClientCertificate: (commonName) => pki.issueClientCertificate(commonName),
      },
      clientCertificate,
      ssm,
      idp,
      orders,
      inventory,
      ingress,
      catalog,
      catalogParameter: LocalParameter.Catalog,
      async putCatalog(next) {
        const version = await ssm.put(LocalParameter.Catalog, JSON.stringify(next));
        mesh.catalog = next;
        return version;
      },
      env: {
        MESHGATE_CATALOG_PARAMETER: LocalParameter.Catalog,
        AWS_ENDPOINT_URL_SSM: ssm.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        MESHGATE_CACHE_SECONDS: '300',
      },
      secrets: () => [...pki.secrets(), ...idp.secrets(), selfSigned.privateJwk.d],
      stop() {
        stopping ??= stopAll();
        return stopping;
      },
    };
    return mesh;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
