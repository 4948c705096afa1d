import { randomBytes } from 'node:crypto';
import type { webcrypto } from 'node:crypto';
// @peculiar/x509 needs a Reflect metadata polyfill loaded before it.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { normalizeSerial } from './normalizeSerial.ts';
import { secretVariants } from './secretVariants.ts';

export interface IssuedCertificate {
  certPem: string;
  /** PKCS#8 PEM. */
  keyPem: string;
  /** Upper-case hex without leading zeros: the form Node's `getPeerCertificate().serialNumber` uses. */
  serialNumber: string;
}

export interface MeshPki {
  /** Signs the ingress server certificate: what the catalog's `caParameter` holds. */
  meshCaPem: string;
  /** Signs client certificates: what the ingress trusts for mTLS. */
  clientCaPem: string;
  server: { certPem: string; keyPem: string };
  issueClientCertificate(commonName?: string): Promise<IssuedCertificate>;
  /** Every private value generated so far (in every form a leak could take). */
  secrets(): string[];
}

const ecKey = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ecdsaSha256 = { name: 'ECDSA', hash: 'SHA-256' } as const;
const oneHourMs = 3_600_000;

/**
 * Generates the local mesh's PKI fresh (nothing is committed): a mesh CA and the ingress server
 * certificate it signs for `authorities` plus `*.mesh.local`, and a separate client CA that issues
 * client certificates (clientAuth EKU). All keys are EC P-256.
 *
 * @example
 * const pki = await createPki(['orders.mesh.local']);
 * const client = await pki.issueClientCertificate('meshgate-invoker');
 */
export async function createPki(authorities: readonly string[]): Promise<MeshPki> {
  const secrets: string[] = [];
  const meshCa = await createCa('CN=meshgate local mesh CA', secrets);
  const clientCa = await createCa('CN=meshgate local client CA', secrets);

  const serverKeys = await generateKeys();
  const serverCert = await x509.X509CertificateGenerator.create({
    ...validity(),
    serialNumber: randomSerial(),
    subject: 'CN=istio-ingressgateway.mesh.local',
    issuer: meshCa.cert.subject,
    publicKey: serverKeys.publicKey,
    signingKey: meshCa.keys.privateKey,
    signingAlgorithm: ecdsaSha256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        [...authorities, '*.mesh.local'].map((value) => ({ type: 'dns' as const, value })),
      ),
      await x509.SubjectKeyIdentifierExtension.create(serverKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(meshCa.keys.publicKey),
    ],
  });
  const serverKeyPem = await exportKeyPem(serverKeys.privateKey, secrets);

  return {
    meshCaPem: meshCa.cert.toString('pem'),
    clientCaPem: clientCa.cert.toString('pem'),
    server: { certPem: serverCert.toString('pem'), keyPem: serverKeyPem },
    async issueClientCertificate(commonName = 'meshgate-invoker') {
      const keys = await generateKeys();
      const serial = randomSerial();
      const cert = await x509.X509CertificateGenerator.create({
        ...validity(),
        serialNumber: serial,
        subject: `CN=${commonName}, O=meshgate`,
        issuer: clientCa.cert.subject,
        publicKey: keys.publicKey,
        signingKey: clientCa.keys.privateKey,
        signingAlgorithm: ecdsaSha256,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
          await x509.AuthorityKeyIdentifierExtension.create(clientCa.keys.publicKey),
        ],
      });
      return {
        certPem: cert.toString('pem'),
        keyPem: await exportKeyPem(keys.privateKey, secrets),
        serialNumber: normalizeSerial(serial),
      };
    },
    secrets: () => [...secrets],
  };
}

async function createCa(subject: string, secrets: string[]) {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    ...validity(),
    serialNumber: randomSerial(),
    name: subject,
    keys,
    signingAlgorithm: ecdsaSha256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  await exportKeyPem(keys.privateKey, secrets);
  return { cert, keys };
}

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return crypto.subtle.generateKey(ecKey, true, ['sign', 'verify']);
}

async function exportKeyPem(key: webcrypto.CryptoKey, secrets: string[]): Promise<string> {
  const pem = x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
  const { d } = await crypto.subtle.exportKey('jwk', key);
  secrets.push(...secretVariants(pem));
  if (d) secrets.push(d);
  return pem;
}

// A first byte in 0x10..0x7f keeps the serial positive and free of leading zeros, so every tool
// prints it the same way.
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = 0x10 + ((bytes[0] ?? 0) % 0x70);
  return bytes.toString('hex').toUpperCase();
}

// Backdated an hour so a skewed clock between processes never makes a fresh certificate "not yet valid".
function validity() {
  const now = Date.now();
  return { notBefore: new Date(now - oneHourMs), notAfter: new Date(now + 24 * oneHourMs) };
}
