import type { JWK } from 'jose';

/** What one identity needs for a call, read together and checked before use. */
export interface IdentityCredentials {
  identity: string;
  /** Client certificate and its private key, guaranteed to match. */
  certPem: string;
  keyPem: string;
  /** The ingress CA bundle (from `ingress.caParameter`). */
  caPem: string;
  /** Client secret (client_secret_*) or private JWK with `kid` (private_key_jwt, self_signed). */
  oidcSecret: { kind: 'secret'; value: string } | { kind: 'jwk'; value: JWK & { kid: string } };
  /**
   * Identifies this credential set without revealing it: SSM versions of cert/key/secret/CA.
   * Dispatchers and tokens are keyed by it, so a rotation gets new connections and tokens.
   */
  version: string;
  /** Certificate expiry, for diagnostics. */
  certNotAfter: string;
}
