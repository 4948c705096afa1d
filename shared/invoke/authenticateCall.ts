import type { Catalog, ServiceConfig } from '../catalog/catalogTypes.ts';
import type { IdentityCredentials } from '../credentials/identityCredentials.ts';
import { cachedIdentityCredentials, loadIdentityCredentials } from '../credentials/loadIdentityCredentials.ts';
import { cachedAccessToken, getAccessToken } from '../identity/getAccessToken.ts';
import type { Deadline } from './deadline.ts';

export interface CallAuthentication {
  credentials: IdentityCredentials;
  token: string;
}

/**
 * What one call to `service` needs to authenticate: the identity's (cached) credentials and a
 * bearer token for the service's audience and scope. `force` re-reads the credentials from SSM
 * and drops the token, after the ingress or identity provider refused them. Shared by every invoker.
 * When both are cached and fresh (a warm invocation) the answer comes back as it is, without a
 * promise; await it either way.
 *
 * @example
 * const { credentials, token } = await authenticateCall(catalog, service, deadline, false);
 */
export function authenticateCall(
  catalog: Catalog,
  service: ServiceConfig,
  deadline: Deadline,
  force: boolean,
): CallAuthentication | Promise<CallAuthentication> {
  return (force ? undefined : cachedAuthentication(catalog, service)) ?? loadAuthentication(catalog, service, deadline, force);
}

async function loadAuthentication(
  catalog: Catalog,
  service: ServiceConfig,
  deadline: Deadline,
  force: boolean,
): Promise<CallAuthentication> {
  const credentials = await loadIdentityCredentials(catalog, service.identity, deadline, { force });
  const token = await getAccessToken({
    identityName: service.identity,
    identity: catalog.identities[service.identity]!,
    credentials,
    audience: service.audience,
    scope: service.scope,
    deadline,
    force,
  });
  return { credentials, token: token.value };
}

/**
 * The credentials and token if both are cached and fresh, synchronously; undefined otherwise.
 *
 * @example
 * cachedAuthentication(catalog, service) // undefined before the first authenticateCall
 */
export function cachedAuthentication(catalog: Catalog, service: ServiceConfig): CallAuthentication | undefined {
  const credentials = cachedIdentityCredentials(catalog, service.identity);
  const token = credentials && cachedAccessToken(service.identity, credentials, service.audience, service.scope);
  return credentials && token ? { credentials, token: token.value } : undefined;
}
