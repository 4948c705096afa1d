import type { Catalog } from '../../shared/catalog/catalogTypes.ts';
import { createPki } from '../mesh/pki.ts';
import type { LocalMesh } from '../mesh/startLocalMesh.ts';
import { registerSecrets } from '../support/findSecrets.ts';

/** SSM parameters the transport suites add to the local mesh's. */
export const TransportParameter = {
  /** A client certificate and key from a CA no ingress trusts. */
  UntrustedCert: '/meshgate/local/transport/untrusted/cert',
  UntrustedKey: '/meshgate/local/transport/untrusted/key',
  /** A CA that did not sign any ingress's certificate. */
  WrongCa: '/meshgate/local/transport/wrong-ca',
} as const;

/** Services the transport catalog adds: each one provokes one transport fault. */
export const TransportService = {
  /** Presents a client certificate the ingress refuses. */
  Untrusted: 'orders-untrusted',
  /** An authority (SNI) no ingress serves. */
  UnknownSni: 'ghost',
  /** maxResponseBytes 1024, to cut a streamed body. */
  Small: 'orders-small',
} as const;

/**
 * Writes what the transport catalogs need besides the mesh's own parameters: a client certificate
 * from a foreign CA, and that CA's root as a wrong `caParameter`. Their keys are registered with the
 * secret guard.
 *
 * @example
 * await prepareTransportParameters(mesh);
 * await mesh.putCatalog(transportCatalog(mesh, { url: mesh.ingress.url }));
 */
export async function prepareTransportParameters(mesh: LocalMesh): Promise<void> {
  const foreign = await createPki(['foreign.mesh.local']);
  const stranger = await foreign.issueClientCertificate('stranger');
  registerSecrets(foreign.secrets());
  await Promise.all([
    mesh.ssm.put(TransportParameter.UntrustedCert, stranger.certPem),
    mesh.ssm.put(TransportParameter.UntrustedKey, stranger.keyPem, { secure: true }),
    mesh.ssm.put(TransportParameter.WrongCa, foreign.meshCaPem),
  ]);
}

/**
 * The local mesh's catalog with another ingress URL and CA parameter, plus the fault services of
 * `TransportService`.
 */
export function transportCatalog(mesh: LocalMesh, ingress: { url: string; caParameter?: string }): Catalog {
  const catalog = structuredClone(mesh.catalog);
  const orders = catalog.services.orders!;
  catalog.ingress = { url: ingress.url, caParameter: ingress.caParameter ?? catalog.ingress.caParameter };
  catalog.identities.untrusted = {
    ...catalog.identities.default!,
    tls: { certParameter: TransportParameter.UntrustedCert, keyParameter: TransportParameter.UntrustedKey },
  };
  catalog.services[TransportService.Untrusted] = { ...orders, identity: 'untrusted' };
  catalog.services[TransportService.UnknownSni] = { ...orders, authority: 'ghost.mesh.local' };
  catalog.services[TransportService.Small] = { ...orders, maxResponseBytes: 1024 };
  return catalog;
}
