import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

const DAY_MS = 86_400_000;

/** What the ingress showed during a handshake: protocol, ALPN and its certificate chain. */
export interface ServerChain {
  protocol: string;
  alpn: string;
  /** Leaf first: `CN=… (SAN …) expires in N days`. */
  chain: string[];
  /** Days until the leaf certificate expires. */
  leafDaysLeft: number;
}

/**
 * Reads the negotiated protocol, ALPN and the certificate chain from a connected TLS socket.
 *
 * @example
 * const { alpn, chain } = describeServerChain(socket);
 */
export function describeServerChain(socket: TLSSocket, now = Date.now()): ServerChain {
  const chain: string[] = [];
  let leafDaysLeft = Number.NaN;
  let certificate: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (certificate && certificate.raw && !seen.has(certificate.fingerprint256)) {
    seen.add(certificate.fingerprint256);
    const daysLeft = Math.floor((new Date(certificate.valid_to).getTime() - now) / DAY_MS);
    if (chain.length === 0) leafDaysLeft = daysLeft;
    const san = certificate.subjectaltname ? ` (${certificate.subjectaltname})` : '';
    chain.push(`${name(certificate.subject)}${san}, issuer ${name(certificate.issuer)}, ${daysLeft} days until expiry`);
    // A self-signed root points at itself; the loop stops on the repeated fingerprint.
    certificate = certificate.issuerCertificate;
  }
  return { protocol: socket.getProtocol() ?? 'unknown', alpn: socket.alpnProtocol || 'none (http/1.1)', chain, leafDaysLeft };
}

function name(distinguished: Record<string, string | string[] | undefined> | undefined): string {
  const value = distinguished?.CN ?? distinguished?.O;
  return `CN=${Array.isArray(value) ? value.join('+') : (value ?? '?')}`;
}
