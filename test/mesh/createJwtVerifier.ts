import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { JWK, JWTPayload } from 'jose';

export interface JwtVerifierOptions {
  /** The IdP: its tokens verify against its JWKS, fetched from `jwksUri`. */
  idp: { issuer: string; jwksUri: string };
  /** The self-signed issuer and the public JWKs it may sign with. */
  selfSigned: { issuer: string; keys: JWK[] };
}

export interface JwtVerifier {
  /** The verified claims, or null when the token fails verification for `audience`. */
  verify(token: string, audience: string): Promise<JWTPayload | null>;
  /** Adds a public JWK the self-signed issuer may sign with. */
  trustSelfSignedKey(publicJwk: JWK): void;
  /** Removes the self-signed issuer's key with this `kid` (the end of a key rotation's overlap). */
  distrustSelfSignedKey(kid: string): void;
  /** Fetches the IdP's JWKS now, so a test that later breaks the IdP does not break verification. */
  warm(): Promise<void>;
}

/**
 * What the ingress's Istio `RequestAuthentication` does: accept JWTs from a fixed set of issuers, each
 * with its own keys, checking signature, issuer, expiry (required, no clock skew so expiry tests are
 * fast; Envoy allows 60 s) and that `aud` contains the route's audience.
 *
 * @example
 * const verifier = createJwtVerifier({ idp, selfSigned: { issuer, keys: [publicJwk] } });
 * const claims = await verifier.verify(token, 'https://orders.mesh.local');
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const idpKeys = createRemoteJWKSet(new URL(options.idp.jwksUri));
  const selfSignedKeys = [...options.selfSigned.keys];
  let selfSignedKeySet = createLocalJWKSet({ keys: selfSignedKeys });

  return {
    async verify(token, audience) {
      let issuer: string | undefined;
      try {
        issuer = decodeJwt(token).iss;
      } catch {
        return null;
      }
      const verifyOptions = { issuer, audience, requiredClaims: ['exp'], clockTolerance: 0 };
      try {
        if (issuer === options.idp.issuer) return (await jwtVerify(token, idpKeys, verifyOptions)).payload;
        if (issuer === options.selfSigned.issuer) {
          return (await jwtVerify(token, selfSignedKeySet, verifyOptions)).payload;
        }
      } catch {
        // Any verification failure (signature, expiry, audience, JWKS fetch) is the same 401 in Envoy.
      }
      return null;
    },
    trustSelfSignedKey(publicJwk) {
      selfSignedKeys.push(publicJwk);
      selfSignedKeySet = createLocalJWKSet({ keys: selfSignedKeys });
    },
    distrustSelfSignedKey(kid) {
      selfSignedKeys.splice(0, selfSignedKeys.length, ...selfSignedKeys.filter((key) => key.kid !== kid));
      selfSignedKeySet = createLocalJWKSet({ keys: selfSignedKeys });
    },
    warm: () => idpKeys.reload(),
  };
}
