import type { JWK } from 'jose';

const EC_ALGORITHMS: Record<string, string> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };

/**
 * The JWS algorithm a signing JWK is used with: its own `alg`, else the one its key type and
 * curve imply (EC P-256 → ES256, P-384 → ES384, P-521 → ES512, OKP → EdDSA, RSA → RS256). The
 * invoker signs with it and `npm run jwks` publishes it, so the two always agree.
 *
 * @example
 * signingAlgorithm({ kty: 'EC', crv: 'P-256' }) // 'ES256'
 */
export function signingAlgorithm(jwk: JWK): string {
  if (jwk.alg) return jwk.alg;
  if (jwk.kty === 'EC') return EC_ALGORITHMS[jwk.crv ?? ''] ?? 'ES256';
  if (jwk.kty === 'OKP') return 'EdDSA';
  return 'RS256';
}
