import { IdentityUnavailableError, ConfigError, isMeshError } from '../errors/meshErrors.ts';
import type { Deadline } from '../invoke/deadline.ts';
import { fallbackDeadline } from '../credentials/fallbackDeadline.ts';
import { RefreshingCache } from '../credentials/refreshingCache.ts';
import { requestJson } from './httpJson.ts';
import { identityFailure } from './identityFailure.ts';

/** Discovery documents change rarely; an hour keeps cold-start I/O to one request per issuer. */
const DISCOVERY_MAX_AGE_MS = 60 * 60_000;

const endpoints = new RefreshingCache<string>({
  maxAgeMs: () => DISCOVERY_MAX_AGE_MS,
  graceMs: 24 * 60 * 60_000,
  outageRecheckMs: 60_000,
  isOutage: (error) => isMeshError(error) && error.name === 'Mesh.IdentityUnavailable',
});

/**
 * The token endpoint from the issuer's OpenID discovery document.
 *
 * @example
 * const tokenEndpoint = await discoverTokenEndpoint('https://idp.example.com', deadline);
 */
export async function discoverTokenEndpoint(issuer: string, deadline: Deadline): Promise<string> {
  return endpoints.get(issuer, async (_previous, context) => {
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let response;
    try {
      response = await requestJson(url, {}, fallbackDeadline(deadline, context));
    } catch (error) {
      throw identityFailure('Discovery request failed', error);
    }
    if (response.status >= 500 || response.status === 429) {
      throw new IdentityUnavailableError(`Discovery answered ${response.status}`, { status: response.status });
    }
    const endpoint = (response.json as { token_endpoint?: unknown } | undefined)?.token_endpoint;
    if (response.status !== 200 || typeof endpoint !== 'string' || !/^https?:\/\//.test(endpoint)) {
      throw new ConfigError(`Discovery document of ${issuer} has no token_endpoint`, { status: response.status });
    }
    return { value: endpoint };
  });
}
