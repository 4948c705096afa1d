import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import type { SelfSignedOidc } from '../catalog/catalogTypes.ts';
import { ConfigError } from '../errors/meshErrors.ts';
import type { AccessToken } from './accessToken.ts';
import { signingAlgorithm } from './signingAlgorithm.ts';

/** The contract caps self-signed tokens at five minutes. */
const MAX_LIFETIME_SECONDS = 300;

/**
 * A short-lived JWT signed with the identity's own private JWK, for meshes whose
 * RequestAuthentication trusts the matching public JWKS directly.
 *
 * @example
 * const token = await signSelfSignedToken(oidc, jwk, 'https://orders.example.com', 'orders:write');
 */
export async function signSelfSignedToken(
  oidc: SelfSignedOidc,
  jwk: JWK & { kid: string },
  audience: string,
  scope: string | undefined,
): Promise<AccessToken> {
  const alg = signingAlgorithm(jwk);
  let key;
  try {
    key = await importJWK(jwk, alg);
  } catch (error) {
    throw new ConfigError(`Signing key of ${oidc.clientId} is not a usable ${alg} private JWK`, {
      cause: new Error((error as { code?: string }).code ?? 'ERR_JOSE'),
    });
  }
  const lifetime = Math.min(oidc.lifetimeSeconds ?? MAX_LIFETIME_SECONDS, MAX_LIFETIME_SECONDS);
  const issuedAt = Date.now();
  const seconds = Math.floor(issuedAt / 1000);
  const value = await new SignJWT(scope ? { scope } : {})
    .setProtectedHeader({ alg, kid: jwk.kid, typ: 'JWT' })
    .setIssuer(oidc.issuer)
    .setSubject(oidc.clientId)
    .setAudience(audience)
    .setJti(randomUUID())
    .setIssuedAt(seconds)
    .setExpirationTime(seconds + lifetime)
    .sign(key);
  return { value, issuedAt, expiresAt: (seconds + lifetime) * 1000 };
}
