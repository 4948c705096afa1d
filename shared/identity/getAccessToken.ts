import type { IdentityConfig } from '../catalog/catalogTypes.ts';
import type { IdentityCredentials } from '../credentials/identityCredentials.ts';
import { RefreshingCache } from '../credentials/refreshingCache.ts';
import { ConfigError, isMeshError } from '../errors/meshErrors.ts';
import type { Deadline } from '../invoke/deadline.ts';
import type { AccessToken } from './accessToken.ts';
import { requestClientCredentialsToken } from './requestClientCredentialsToken.ts';
import { signSelfSignedToken } from './signSelfSignedToken.ts';

/** A token is replaced once this share of its lifetime has passed. */
const REFRESH_AT_LIFETIME_SHARE = 0.8;
/** Never send a token this close to its expiry (clock skew, request time). */
const EXPIRY_SAFETY_MS = 5_000;

const tokens = new RefreshingCache<AccessToken>({
  maxAgeMs: () => 0,
  graceMs: 0,
  isOutage: (error) => isMeshError(error) && error.name === 'Mesh.IdentityUnavailable',
});

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
 * A bearer token for (identity, audience, scope), cached until 80% of its lifetime; while the
 * identity provider is down, a cached token keeps serving until shortly before it expires.
 * Concurrent callers share one token request.
 *
 * @example
 * const token = await getAccessToken({ identityName, identity, credentials, audience, scope, deadline });
 */
export async function getAccessToken(request: TokenRequest): Promise<AccessToken> {
  const { identity, credentials, audience, scope, deadline } = request;
  const key = `${request.identityName}\n${audience}\n${scope ?? ''}`;
  return tokens.get(
    key,
    async () => {
      const oidc = identity.oidc;
      let token: AccessToken;
      if (oidc.mode === 'self_signed') {
        if (credentials.oidcSecret.kind !== 'jwk') throw new ConfigError('self_signed needs a private JWK');
        token = await signSelfSignedToken(oidc, credentials.oidcSecret.value, audience, scope);
      } else {
        token = await requestClientCredentialsToken(oidc, credentials, audience, scope, deadline);
      }
      const lifetime = token.expiresAt - token.issuedAt;
      const usableUntil = token.expiresAt - EXPIRY_SAFETY_MS;
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
