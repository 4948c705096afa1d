import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { signingAlgorithm } from './signingAlgorithm.ts';

/** One version of a self_signed identity's signing-key parameter (GetParameterHistory, decrypted). */
export interface SigningKeyVersion {
  version: number;
  /** The parameter's value: a private JWK with `kid`. */
  value: string;
  lastModified: Date | undefined;
}

/** A public JWK as a JWKS publishes it. */
export type PublicSigningJwk = JWK & { kid: string; alg: string; use: 'sig' };

export interface SigningKeyJwks {
  jwks: { keys: PublicSigningJwk[] };
  /** Parameter versions whose key is published, newest first. */
  versions: number[];
  /** Versions that were due but could not be published, with why (never with their value). */
  skipped: Array<{ version: number; reason: string }>;
}

export interface SigningKeyJwksOptions {
  /** Epoch ms to judge the overlap from. */
  now: number;
  /** How long a replaced key stays published after the version that replaced it was written. */
  overlapMs: number;
  /** Keys about to be written (private or public JWKs), published ahead of their use. */
  upcoming?: readonly JWK[];
}

/**
 * The public JWKS a mesh's RequestAuthentication must trust for a self_signed identity, from the
 * history of its signing-key parameter: the current key, every key replaced less than
 * `overlapMs` ago (sandboxes and tokens may still use it), and any upcoming key. Public halves
 * are computed from the key material by the crypto library, so no private member can leak.
 *
 * @example
 * const { jwks } = signingKeyJwks(history, { now: Date.now(), overlapMs: 25 * 60_000 });
 */
export function signingKeyJwks(history: readonly SigningKeyVersion[], options: SigningKeyJwksOptions): SigningKeyJwks {
  const sorted = [...history].sort((a, b) => a.version - b.version);
  const due = sorted.filter((entry, index) => {
    const successor = sorted[index + 1];
    if (!successor) return true; // the current key
    // Without a date the replacement's age is unknown: keep the key rather than risk refusing tokens.
    return successor.lastModified === undefined || successor.lastModified.getTime() > options.now - options.overlapMs;
  });
  const keys: PublicSigningJwk[] = [];
  const versions: number[] = [];
  const skipped: SigningKeyJwks['skipped'] = [];
  const add = (jwk: PublicSigningJwk) => {
    const same = keys.find((key) => key.kid === jwk.kid);
    if (!same) keys.push(jwk);
    return !same || sameKey(same, jwk);
  };
  for (const jwk of options.upcoming ?? []) {
    const published = publicSigningJwk(jwk, 'public');
    if (typeof published === 'string') throw new Error(`Upcoming key: ${published}`);
    add(published);
  }
  for (const entry of due.reverse()) {
    let parsed: JWK;
    try {
      parsed = JSON.parse(entry.value) as JWK;
    } catch {
      skipped.push({ version: entry.version, reason: 'not JSON' });
      continue;
    }
    const published = publicSigningJwk(parsed, 'private');
    if (typeof published === 'string') {
      skipped.push({ version: entry.version, reason: published });
      continue;
    }
    if (!add(published)) {
      skipped.push({ version: entry.version, reason: `kid "${published.kid}" names a different key in a newer version` });
      continue;
    }
    versions.push(entry.version);
  }
  return { jwks: { keys }, versions, skipped };
}

/** The public half of a JWK with `kid`, or why there is none. */
function publicSigningJwk(jwk: JWK, expect: 'private' | 'public'): PublicSigningJwk | string {
  if (typeof jwk !== 'object' || jwk === null) return 'not a JWK';
  if (typeof jwk.kid !== 'string' || jwk.kid === '') return 'no "kid"';
  if (jwk.kty !== 'EC' && jwk.kty !== 'OKP' && jwk.kty !== 'RSA') return 'not an asymmetric key';
  let key: KeyObject;
  try {
    const input = { key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' as const };
    key = typeof jwk.d === 'string' ? createPublicKey(createPrivateKey(input)) : createPublicKey(input);
  } catch {
    return expect === 'private' ? 'not a usable private JWK' : 'not a usable JWK';
  }
  return { ...(key.export({ format: 'jwk' }) as JWK), kid: jwk.kid, alg: signingAlgorithm(jwk), use: 'sig' };
}

function sameKey(a: JWK, b: JWK): boolean {
  return a.kty === b.kty && a.crv === b.crv && a.x === b.x && a.y === b.y && a.n === b.n && a.e === b.e;
}
