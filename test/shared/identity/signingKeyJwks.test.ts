import { generateKeyPairSync } from 'node:crypto';
import type { JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { signingKeyJwks, type SigningKeyVersion } from '../../../shared/identity/signingKeyJwks.ts';

const now = Date.parse('2026-03-01T12:00:00Z');
const minute = 60_000;

function privateJwk(kid: string, curve: 'P-256' | 'P-384' = 'P-256'): JWK & { kid: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
  return { ...(privateKey.export({ format: 'jwk' }) as JWK), kid };
}

function version(version: number, jwk: JWK | string, minutesAgo: number): SigningKeyVersion {
  return { version, value: typeof jwk === 'string' ? jwk : JSON.stringify(jwk), lastModified: new Date(now - minutesAgo * minute) };
}

describe('Function: signingKeyJwks', () => {
  it('publishes the current key and keys replaced within the overlap, newest first, public members only', () => {
    // Prepare
    const [k1, k2, k3] = [privateJwk('k1'), privateJwk('k2'), privateJwk('k3', 'P-384')];
    const history = [version(1, k1, 120), version(2, k2, 60), version(3, k3, 10)];

    // Act
    const result = signingKeyJwks(history, { now, overlapMs: 25 * minute });

    // Assess: k2 was replaced 10 minutes ago (kept), k1 60 minutes ago (dropped)
    expect(result.jwks.keys.map((key) => key.kid)).toEqual(['k3', 'k2']);
    expect(result.versions).toEqual([3, 2]);
    expect(result.jwks.keys[0]).toEqual({ kty: 'EC', crv: 'P-384', x: k3.x, y: k3.y, kid: 'k3', alg: 'ES384', use: 'sig' });
    expect(JSON.stringify(result.jwks)).not.toMatch(/"d"/);
  });

  it('publishes an upcoming key ahead of its use, from its private or public form', () => {
    const current = privateJwk('current');
    const next = privateJwk('next');
    const { d: _d, ...nextPublic } = next;
    for (const upcoming of [next, nextPublic]) {
      const result = signingKeyJwks([version(1, current, 5)], { now, overlapMs: 0, upcoming: [upcoming] });
      expect(result.jwks.keys.map((key) => key.kid)).toEqual(['next', 'current']);
    }
  });

  it('leaves out unusable versions and says why without quoting them', () => {
    // Prepare
    const good = privateJwk('good');
    const history = [version(1, '{"kty":"oct","k":"c2VjcmV0","kid":"sym"}', 3), version(2, 'not json {', 2), version(3, { ...privateJwk('x'), kid: undefined }, 1), version(4, good, 0)];

    // Act
    const result = signingKeyJwks(history, { now, overlapMs: 60 * minute });

    // Assess
    expect(result.jwks.keys.map((key) => key.kid)).toEqual(['good']);
    expect(result.skipped).toEqual([
      { version: 3, reason: 'no "kid"' },
      { version: 2, reason: 'not JSON' },
      { version: 1, reason: 'not an asymmetric key' },
    ]);
    expect(JSON.stringify(result.skipped)).not.toContain('c2VjcmV0');
  });

  it('refuses to publish two different keys under one kid, keeping the newer', () => {
    const newer = privateJwk('same');
    const older = privateJwk('same');
    const result = signingKeyJwks([version(1, older, 10), version(2, newer, 1)], { now, overlapMs: 60 * minute });
    expect(result.jwks.keys).toHaveLength(1);
    expect(result.jwks.keys[0]!.x).toBe(newer.x);
    expect(result.skipped).toEqual([{ version: 1, reason: 'kid "same" names a different key in a newer version' }]);
  });
});
