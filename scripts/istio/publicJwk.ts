import type { JWK } from 'jose';

/** Public members per key type (RFC 7518 section 6); everything else is left out. */
const PUBLIC_MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'x', 'y'],
  RSA: ['n', 'e'],
  OKP: ['crv', 'x'],
};
const METADATA = ['kty', 'kid', 'alg', 'use'] as const;

/**
 * The public half of a JWK, by allow-list: whatever private members the input holds (`d`, `p`,
 * `q`, `dp`, `dq`, `qi`, `oth`, `k`), they cannot reach the output. Symmetric keys have no public half.
 *
 * @example
 * publicJwk(privateJwk) // { kty: 'EC', kid: 'k1', alg: 'ES256', use: 'sig', crv: 'P-256', x: '…', y: '…' }
 */
export function publicJwk(jwk: JWK, label: string): JWK & { kid: string } {
  const members = PUBLIC_MEMBERS[jwk.kty ?? ''];
  if (!members) throw new Error(`${label}: a JWK of type "${String(jwk.kty).slice(0, 8)}" has no public half to publish`);
  if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new Error(`${label}: the JWK has no "kid"`);
  const out: Record<string, unknown> = {};
  for (const member of [...METADATA, ...members]) {
    const value = (jwk as Record<string, unknown>)[member];
    if (value !== undefined) out[member] = value;
  }
  for (const member of members) {
    if (typeof out[member] !== 'string') throw new Error(`${label}: the JWK lacks "${member}"`);
  }
  return out as JWK & { kid: string };
}
