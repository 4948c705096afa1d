import { decodeJwt, type JWTPayload } from 'jose';
import type { Catalog, ServiceConfig } from '../../shared/catalog/catalogTypes.ts';
import type { IdentityCredentials } from '../../shared/credentials/identityCredentials.ts';
import { isMeshError, type MeshError } from '../../shared/errors/meshErrors.ts';
import { getAccessToken } from '../../shared/identity/getAccessToken.ts';
import { Deadline } from '../../shared/invoke/deadline.ts';
import { describeError } from './describeError.ts';
import type { DoctorStep } from './doctorStep.ts';
import { Step } from './step.ts';

/**
 * Step 4, per service: a token is obtained exactly as the invoker obtains it, and its claims carry
 * the issuer the mesh trusts, the service's audience and the requested scope. Claims are shown;
 * the token never is.
 *
 * @example
 * const step = await checkToken(catalog, 'orders', credentials, 10_000);
 */
export async function checkToken(
  catalog: Catalog,
  serviceName: string,
  credentials: IdentityCredentials,
  timeoutMs: number,
): Promise<{ step: DoctorStep; token?: string }> {
  const service = catalog.services[serviceName]!;
  const identity = catalog.identities[service.identity]!;
  const subject = `service ${serviceName}`;
  let token: string;
  try {
    token = (
      await getAccessToken({
        identityName: service.identity,
        identity,
        credentials,
        audience: service.audience,
        scope: service.scope,
        deadline: new Deadline(Date.now() + timeoutMs),
        force: true,
      })
    ).value;
  } catch (error) {
    return { step: Step.fail('token', subject, describeError(error), tokenFix(error, catalog, service), idpDetail(error)) };
  }

  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch {
    return { step: Step.pass('token', subject, 'token obtained (opaque: its claims cannot be shown or checked)'), token };
  }
  const details = [describeClaims(claims)];
  const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  const missingScopes = (service.scope ?? '').split(' ').filter((scope) => scope && !scopes.includes(scope));
  if (claims.iss !== identity.oidc.issuer) {
    return {
      step: Step.fail(
        'token',
        subject,
        `token issuer "${claims.iss}" is not the catalog's issuer "${identity.oidc.issuer}"`,
        `Set identities.${service.identity}.oidc.issuer to the issuer the IdP writes into tokens; the mesh's RequestAuthentication matches it exactly.`,
        details,
      ),
      token,
    };
  }
  if (!audiences.includes(service.audience)) {
    return {
      step: Step.fail(
        'token',
        subject,
        `token audience ${JSON.stringify(claims.aud)} lacks "${service.audience}"`,
        'Configure the IdP to put the requested resource into "aud" (RFC 8707), or set audienceParam: "audience" if it expects that form field.',
        details,
      ),
      token,
    };
  }
  if (missingScopes.length > 0) {
    return {
      step: Step.fail(
        'token',
        subject,
        `token lacks scope ${missingScopes.join(' ')}`,
        `Grant client ${identity.oidc.clientId} the scope at the IdP, or correct services.${serviceName}.scope.`,
        details,
      ),
      token,
    };
  }
  return { step: Step.pass('token', subject, `token for ${service.audience} from ${identity.oidc.mode}`, details), token };
}

/** The claims worth seeing; custom claims could hold personal data, so only the standard ones. */
function describeClaims(claims: JWTPayload): string {
  const seconds = typeof claims.exp === 'number' ? Math.round(claims.exp - Date.now() / 1000) : undefined;
  const shown: Array<[string, unknown]> = [
    ['iss', claims.iss],
    ['sub', claims.sub],
    ['aud', claims.aud],
    ['scope', claims.scope],
    ['client_id', claims.client_id],
    ['azp', claims.azp],
  ];
  const parts = shown.filter(([, value]) => value !== undefined).map(([name, value]) => `${name}=${Array.isArray(value) ? value.join(',') : String(value)}`);
  if (seconds !== undefined) parts.push(`expires in ${seconds} s`);
  return `claims: ${parts.join(' ')}`;
}

/** The IdP's own error code, read from the answer's JSON body (RFC 6749 section 5.2). */
function oauthError(error: MeshError): string | undefined {
  try {
    const body = JSON.parse(error.details.detail ?? '') as { error?: unknown };
    return typeof body.error === 'string' ? body.error : undefined;
  } catch {
    return undefined;
  }
}

function idpDetail(error: unknown): string[] {
  return isMeshError(error) && error.details.detail ? [`IdP answered: ${error.details.detail.slice(0, 300)}`] : [];
}

function tokenFix(error: unknown, catalog: Catalog, service: ServiceConfig): string {
  const identity = catalog.identities[service.identity]!;
  const { clientId, issuer, secretParameter } = identity.oidc;
  if (!isMeshError(error)) return 'Unexpected failure: the error name above says where it came from.';
  if (error.name === 'Mesh.IdentityUnavailable') {
    return `The IdP at ${issuer} did not answer or failed: check the issuer URL, the network path from the function (VPC, egress) and the IdP's health.`;
  }
  switch (oauthError(error)) {
    case 'invalid_client':
      return `The IdP refused client ${clientId}: write the secret or private JWK it has registered for that client to ${secretParameter}, and check the client's auth method matches "${identity.oidc.mode === 'client_credentials' ? identity.oidc.auth : 'self_signed'}".`;
    case 'invalid_target':
      return `The IdP does not know the resource "${service.audience}": register it (RFC 8707 resource indicator / API audience) and allow client ${clientId} to use it, or correct the service's audience.`;
    case 'invalid_scope':
      return `The IdP does not allow scope "${service.scope ?? ''}" for client ${clientId}: grant it, or correct the service's scope.`;
    case 'unauthorized_client':
      return `Client ${clientId} may not use the client_credentials grant: enable it at the IdP.`;
    default:
      break;
  }
  if (error.name === 'Mesh.Unauthorized') return `The IdP refused client ${clientId}: check the secret in ${secretParameter}.`;
  return `Check the issuer (${issuer}), its discovery document and the client ${clientId} registration.`;
}
