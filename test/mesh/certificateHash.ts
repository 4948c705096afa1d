import { createHash } from 'node:crypto';

/**
 * SHA-256 of a certificate's DER as lower-case hex: the `Hash=` element Envoy writes into
 * `x-forwarded-client-cert`.
 *
 * @example
 * certificateHash(tlsSocket.getPeerCertificate().raw);
 */
export function certificateHash(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}
