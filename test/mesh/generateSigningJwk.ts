import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';

export interface SigningJwkPair {
  /** Private EC P-256 JWK with `kid`, `alg: 'ES256'` and `use: 'sig'`: what SSM holds. */
  privateJwk: JWK & { kid: string; alg: 'ES256'; d: string };
  /** The matching public JWK (same `kid`, `alg`, `use`), for a JWKS. */
  publicJwk: JWK & { kid: string; alg: 'ES256' };
}

/**
 * Generates a fresh ES256 signing key as a JWK pair.
 *
 * @example
 * const { privateJwk, publicJwk } = await generateSigningJwk('meshgate-jwt');
 */
export async function generateSigningJwk(kidPrefix = 'key'): Promise<SigningJwkPair> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const exported = await crypto.subtle.exportKey('jwk', keys.privateKey);
  const kid = `${kidPrefix}-${randomUUID().slice(0, 8)}`;
  const { kty, crv, x, y, d } = exported;
  if (!kty || !crv || !x || !y || !d) throw new Error('exported EC key is incomplete');
  const publicJwk = { kty, crv, x, y, kid, alg: 'ES256' as const, use: 'sig' };
  return { privateJwk: { ...publicJwk, d }, publicJwk };
}
