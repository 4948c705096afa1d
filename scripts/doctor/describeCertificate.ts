import { X509Certificate } from 'node:crypto';

const DAY_MS = 86_400_000;
const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';

export interface CertificateFacts {
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** Whole days until expiry (negative once expired). */
  daysLeft: number;
  /** False only when the certificate restricts its use and clientAuth is not among the uses. */
  allowsClientAuth: boolean;
}

/**
 * The public facts of a certificate the report shows (never the PEM itself).
 *
 * @example
 * describeCertificate(pem).daysLeft // 89
 */
export function describeCertificate(pem: string | X509Certificate, now = Date.now()): CertificateFacts {
  const cert = typeof pem === 'string' ? new X509Certificate(pem) : pem;
  const notAfter = new Date(cert.validTo);
  // Node 24 names the extended key usages `keyUsage`; newer releases add `extKeyUsage`.
  const uses = (cert as X509Certificate & { extKeyUsage?: string[] }).extKeyUsage ?? cert.keyUsage;
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    notBefore: new Date(cert.validFrom),
    notAfter,
    daysLeft: Math.floor((notAfter.getTime() - now) / DAY_MS),
    allowsClientAuth: !uses || uses.length === 0 || uses.includes(CLIENT_AUTH_OID),
  };
}

function oneLine(distinguishedName: string): string {
  return distinguishedName.split('\n').filter(Boolean).join(', ');
}
