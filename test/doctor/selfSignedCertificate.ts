import { randomBytes, type webcrypto } from 'node:crypto';
// @peculiar/x509 needs a Reflect metadata polyfill loaded before it.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { secretVariants } from '../mesh/secretVariants.ts';

const DAY_MS = 86_400_000;

export interface SelfSignedCertificate {
  certPem: string;
  keyPem: string;
  /** The key in every form a leak could take, for the secret guard. */
  secrets: string[];
}

/**
 * A self-signed EC client certificate with a chosen validity, for breakages the local mesh's PKI
 * does not produce: an expired certificate, or one from a CA the ingress does not trust.
 *
 * @example
 * const expired = await selfSignedCertificate({ notBeforeDays: -30, notAfterDays: -1 });
 */
export async function selfSignedCertificate({
  notBeforeDays,
  notAfterDays,
}: {
  notBeforeDays: number;
  notAfterDays: number;
}): Promise<SelfSignedCertificate> {
  const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `1${randomBytes(8).toString('hex')}`,
    name: 'CN=not-trusted-by-the-mesh',
    notBefore: new Date(now + notBeforeDays * DAY_MS),
    notAfter: new Date(now + notAfterDays * DAY_MS),
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
  });
  const keyPem = x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  const { d } = await crypto.subtle.exportKey('jwk', keys.privateKey);
  return { certPem: cert.toString('pem'), keyPem, secrets: [...secretVariants(keyPem), ...(d ? [d] : [])] };
}
