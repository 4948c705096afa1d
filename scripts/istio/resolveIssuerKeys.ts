import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import type { Catalog } from '../../shared/catalog/catalogTypes.ts';
import { readParameters } from '../../shared/credentials/ssmParameterReader.ts';
import { requestJson } from '../../shared/identity/httpJson.ts';
import { Deadline } from '../../shared/invoke/deadline.ts';
import type { IssuerKeys } from './issuerKeys.ts';
import { publicJwk } from './publicJwk.ts';

export interface KeySources {
  /** Issuer → JWKS URL, instead of asking the issuer's discovery document. */
  jwksUris: Record<string, string>;
  /** self_signed identity → file with its JWK (public, or private: only the public half is used) or a JWKS. */
  publicJwkFiles: Record<string, string>;
  /** Ask each IdP's discovery document for `jwks_uri` (else leave it to Istio to discover). */
  discovery: boolean;
  timeoutMs: number;
}

/**
 * Where the mesh gets each issuer's keys. self_signed identities: the public half of the signing
 * JWK, from a file or from the identity's SSM parameter (decrypted here, never printed: only
 * public members leave `publicJwk`). IdPs: `jwks_uri` from a flag or from discovery.
 *
 * @example
 * const keys = await resolveIssuerKeys(catalog, { jwksUris: {}, publicJwkFiles: {}, discovery: true, timeoutMs: 10_000 });
 */
export async function resolveIssuerKeys(catalog: Catalog, sources: KeySources): Promise<IssuerKeys> {
  const keys: IssuerKeys = {};
  const used = new Set(Object.values(catalog.services).map((service) => service.identity));
  const modes = new Map<string, string>();
  for (const identityName of [...used].sort()) {
    const { oidc } = catalog.identities[identityName]!;
    if (modes.has(oidc.issuer) && modes.get(oidc.issuer) !== oidc.mode) {
      throw new Error(`Issuer ${oidc.issuer} is used both by an IdP and by a self_signed identity: give self_signed its own issuer`);
    }
    modes.set(oidc.issuer, oidc.mode);
    const entry = (keys[oidc.issuer] ??= {});
    if (oidc.mode === 'self_signed') {
      const file = sources.publicJwkFiles[identityName];
      const found = file ? jwksFromFile(file, identityName) : [await jwkFromParameter(oidc.secretParameter, identityName, sources.timeoutMs)];
      entry.keys = [...(entry.keys ?? []), ...found].filter((key, i, all) => all.findIndex((other) => other.kid === key.kid) === i);
    } else if (!entry.jwksUri) {
      const given = sources.jwksUris[oidc.issuer];
      if (given) entry.jwksUri = given;
      else if (sources.discovery) entry.jwksUri = await discoverJwksUri(oidc.issuer, sources.timeoutMs);
    }
  }
  return keys;
}

function jwksFromFile(path: string, identityName: string): Array<JWK & { kid: string }> {
  let parsed: { keys?: JWK[] } & JWK;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as { keys?: JWK[] } & JWK;
  } catch (error) {
    throw new Error(`--public-jwk ${identityName}=${path}: not a readable JSON file (${(error as NodeJS.ErrnoException).code ?? 'invalid JSON'})`);
  }
  const jwks = Array.isArray(parsed.keys) ? parsed.keys : [parsed];
  return jwks.map((jwk) => publicJwk(jwk, `--public-jwk ${identityName}`));
}

async function jwkFromParameter(name: string, identityName: string, timeoutMs: number): Promise<JWK & { kid: string }> {
  const value = (await readParameters([name], new Deadline(Date.now() + timeoutMs))).get(name)?.value ?? '';
  let jwk: JWK;
  try {
    jwk = JSON.parse(value) as JWK;
  } catch {
    // The parser's message can quote the value, which is a private key.
    throw new Error(`Parameter ${name} (identity ${identityName}) does not hold a JSON JWK`);
  }
  return publicJwk(jwk, `Parameter ${name} (identity ${identityName})`);
}

async function discoverJwksUri(issuer: string, timeoutMs: number): Promise<string> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let response;
  try {
    response = await requestJson(url, {}, new Deadline(Date.now() + timeoutMs));
  } catch (error) {
    throw new Error(`Discovery of ${issuer} failed (${(error as { code?: string }).code ?? (error as Error).name}): pass --jwks-uri ${issuer}=URL or --no-discovery`);
  }
  const jwksUri = (response.json as { jwks_uri?: unknown } | undefined)?.jwks_uri;
  if (response.status !== 200 || typeof jwksUri !== 'string' || !/^https?:\/\//.test(jwksUri)) {
    throw new Error(`Discovery of ${issuer} answered ${response.status} without a jwks_uri: pass --jwks-uri ${issuer}=URL or --no-discovery`);
  }
  return jwksUri;
}
