import { randomUUID } from 'node:crypto';
import { decodeJwt, importJWK, SignJWT } from 'jose';
import type { ClientCredentialsOidc } from '../catalog/catalogTypes.ts';
import type { IdentityCredentials } from '../credentials/identityCredentials.ts';
import { ConfigError, IdentityUnavailableError, UnauthorizedError } from '../errors/meshErrors.ts';
import type { Deadline } from '../invoke/deadline.ts';
import { cutUtf8 } from '../result/cutUtf8.ts';
import { redactSecrets } from '../logging/redactSecrets.ts';
import type { AccessToken } from './accessToken.ts';
import { discoverTokenEndpoint } from './discoverTokenEndpoint.ts';
import { requestJson } from './httpJson.ts';
import { identityFailure } from './identityFailure.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * OAuth 2.0 client_credentials grant (RFC 6749 4.4) with the audience as an RFC 8707
 * `resource` (or `audience`), authenticated by client secret (basic/post) or by a
 * private_key_jwt assertion (RFC 7523).
 *
 * @example
 * const token = await requestClientCredentialsToken(oidc, creds, 'https://orders.example.com', 'orders:write', deadline);
 */
export async function requestClientCredentialsToken(
  oidc: ClientCredentialsOidc,
  credentials: IdentityCredentials,
  audience: string,
  scope: string | undefined,
  deadline: Deadline,
): Promise<AccessToken> {
  const tokenEndpoint = await discoverTokenEndpoint(oidc.issuer, deadline);
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  form.set(oidc.audienceParam ?? 'resource', audience);
  if (scope) form.set('scope', scope);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const secret = credentials.oidcSecret;
  if (oidc.auth === 'private_key_jwt') {
    if (secret.kind !== 'jwk') throw new ConfigError('private_key_jwt needs a private JWK');
    form.set('client_id', oidc.clientId);
    form.set('client_assertion_type', JWT_BEARER);
    form.set('client_assertion', await signClientAssertion(oidc.clientId, tokenEndpoint, secret.value));
  } else {
    if (secret.kind !== 'secret') throw new ConfigError(`${oidc.auth} needs a client secret`);
    if (oidc.auth === 'client_secret_basic') {
      // RFC 6749 2.3.1: id and secret are form-urlencoded before base64.
      const pair = `${formEncode(oidc.clientId)}:${formEncode(secret.value)}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    } else {
      form.set('client_id', oidc.clientId);
      form.set('client_secret', secret.value);
    }
  }

  const issuedAt = Date.now();
  let response;
  try {
    response = await requestJson(tokenEndpoint, { method: 'POST', headers, body: form.toString() }, deadline);
  } catch (error) {
    throw identityFailure('Token request failed', error);
  }
  const body = (response.json ?? {}) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
  if (response.status === 200 && typeof body.access_token === 'string') {
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 300;
    const expiresAt = Math.min(issuedAt + expiresIn * 1000, jwtExpiry(body.access_token, issuedAt) ?? Number.POSITIVE_INFINITY);
    return { value: body.access_token, issuedAt, expiresAt };
  }
  // Redact before cutting, so a secret straddling the cut cannot survive half-matched.
  const detail = cutUtf8(Buffer.from(redactSecrets(response.text, [secret.kind === 'secret' ? secret.value : ''])), 512);
  const oauthError = typeof body.error === 'string' ? body.error : 'no error code';
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    throw new IdentityUnavailableError(`Token endpoint answered ${response.status}`, { status: response.status, detail });
  }
  if (oauthError === 'invalid_client') {
    throw new UnauthorizedError('Token endpoint refused the client (invalid_client)', { status: response.status, detail });
  }
  throw new ConfigError(`Token endpoint refused the request (${oauthError.slice(0, 64)})`, { status: response.status, detail });
}

async function signClientAssertion(clientId: string, tokenEndpoint: string, jwk: IdentityCredentials['oidcSecret']['value'] & object): Promise<string> {
  const { kid, alg = 'ES256' } = jwk as { kid: string; alg?: string };
  const key = await importJWK(jwk as Parameters<typeof importJWK>[0], alg);
  return new SignJWT({})
    .setProtectedHeader({ alg, kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenEndpoint)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key);
}

/**
 * The `exp` of a JWT access token, when the token is one and `exp` lies ahead. `expires_in`
 * counts from a moment the client does not know (the IdP rounds `iat` down to the second), so
 * the token's own `exp`, which the mesh enforces, can be up to a second earlier than it implies.
 */
function jwtExpiry(token: string, now: number): number | undefined {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' && exp * 1000 > now ? exp * 1000 : undefined;
  } catch {
    return undefined; // an opaque token: expires_in is all there is
  }
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
