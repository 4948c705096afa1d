import type { JWK } from 'jose';

/**
 * How the mesh gets each issuer's signing keys: a JWKS URL for an IdP, inline public keys for
 * self_signed identities, or neither (Istio then reads `jwks_uri` from the issuer's discovery document).
 */
export type IssuerKeys = Record<string, { jwksUri?: string; keys?: Array<JWK & { kid: string }> }>;
