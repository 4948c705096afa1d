import type { IdentityConfig } from '../catalog/catalogTypes.ts';
import { fallbackDeadline } from '../credentials/fallbackDeadline.ts';
import type { IdentityCredentials } from '../credentials/identityCredentials.ts';
import { RefreshingCache } from '../credentials/refreshingCache.ts';
import { ConfigError, isMeshError } from '../errors/meshErrors.ts';
import type { Deadline } from '../invoke/deadline.ts';
import type { AccessToken } from './accessToken.ts';
import { requestClientCredentialsToken } from './requestClientCredentialsToken.ts';
import { signSelfSignedToken } from './signSelfSignedToken.ts';

/** A token is replaced once this share of its lifetime has passed. */
const REFRESH_AT_LIFETIME_SHARE = 0.8;
/**
 * Never send a token this close to its expiry (clock skew, request time): 5 s, or a tenth of
 * the lifetime for tokens shorter than 50 s, whose lifetime a fixed 5 s would mostly eat.
 */
const EXPIRY_SAFETY_MS = 5_000;
const EXPIRY_SAFETY_SHARE = 0.1;
/** While the IdP is down and a cached token still serves, ask it again at most this often. */
const OUTAGE_RECHECK_MS = 5_000;

const tokens = new RefreshingCache<AccessToken>({
  maxAgeMs: 0,
  graceMs: 0,
  outageRecheckMs: OUTAGE_RECHECK_MS,
  isOutage: (error) => isMeshError(error) && error.name === 'Mesh.IdentityUnavailable',
});
/** The cache key in use per (identity, audience, scope), so a rotation's superseded token is dropped. */
const currentKeys = new Map<string, string>();

export interface TokenRequest {
  identityName: string;
  identity: IdentityConfig;
  credentials: IdentityCredentials;
  audience: string;
  scope: string | undefined;
  deadline: Deadline;
  /** Drop the cached token first (after the mesh refused it). */
  force?: boolean;
}

/**
 * The token for (identity, audience, scope) if a fresh one for this credential version is
 * cached, synchronously: the warm path, without a promise.
 *
 * @example
 * const token = cachedAccessToken('default', credentials, audience, scope) ?? (await getAccessToken({ ... }));
 */
export function cachedAccessToken(identityName: string, credentials: IdentityCredentials, audience: string, scope: string | undefined): AccessToken | undefined {
  return tokens.fresh(`${tokenSlot(identityName, audience, scope)}\n${credentials.version}`);
}

function tokenSlot(identityName: string, audience: string, scope: string | undefined): string {
  return `${identityName}\n${audience}\n${scope ?? ''}`;
}

/**
 * A bearer token for (identity, audience, scope), cached until 80% of its lifetime; while the
 * identity provider is down, a cached token keeps serving until shortly before it expires.
 * Concurrent callers share one token request. A new credential version (a rotated secret,
 * signing key or certificate) gets a new token at once, so a rotation is proven by use while
 * the old secret still works, not discovered when it is retired.
 *
 * @example
 * const token = await getAccessToken({ identityName, identity, credentials, audience, scope, deadline });
 */
export async function getAccessToken(request: TokenRequest): Promise<AccessToken> {
  const { identity, credentials, audience, scope, deadline } = request;
  const slot = tokenSlot(request.identityName, audience, scope);
  const key = `${slot}\n${credentials.version}`;
  const superseded = currentKeys.get(slot);
  if (superseded !== key) {
    if (superseded !== undefined) tokens.delete(superseded);
    currentKeys.set(slot, key);
  }
  return tokens.get(
    key,
    async (_previous, context) => {
      const oidc = identity.oidc;
      let token: AccessToken;
      if (oidc.mode === 'self_signed') {
        if (credentials.oidcSecret.kind !== 'jwk') throw new ConfigError('self_signed needs a private JWK');
        token = await signSelfSignedToken(oidc, credentials.oidcSecret.value, audience, scope);
      } else {
        token = await requestClientCredentialsToken(oidc, credentials, audience, scope, fallbackDeadline(deadline, context));
      }
      const lifetime = token.expiresAt - token.issuedAt;
      const usableUntil = token.expiresAt - Math.min(EXPIRY_SAFETY_MS, lifetime * EXPIRY_SAFETY_SHARE);
      const freshUntil = Math.min(token.issuedAt + lifetime * REFRESH_AT_LIFETIME_SHARE, usableUntil);
      return {
        value: token,
        maxAgeMs: Math.max(0, freshUntil - Date.now()),
        graceMs: Math.max(0, usableUntil - Math.max(freshUntil, Date.now())),
      };
    },
    { force: request.force ?? false },
  );
}
