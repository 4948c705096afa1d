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
 *
 * @example
 * const { credentials, token } = await authenticateCall(catalog, service, deadline, false);
 */
export async function authenticateCall(
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
 * `authenticateCall` when everything is cached and fresh, synchronously; undefined otherwise. A
 * warm invocation takes this path: no promise, no closure, no await.
 *
 * @example
 * const auth = cachedAuthentication(catalog, service) ?? (await authenticateCall(catalog, service, deadline, false));
 */
export function cachedAuthentication(catalog: Catalog, service: ServiceConfig): CallAuthentication | undefined {
  const credentials = cachedIdentityCredentials(catalog, service.identity);
  const token = credentials && cachedAccessToken(service.identity, credentials, service.audience, service.scope);
  return credentials && token ? { credentials, token: token.value } : undefined;
}
