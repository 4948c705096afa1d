import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { JWK } from 'jose';
import type { Catalog } from '../catalog/catalogTypes.ts';
import { ConfigError } from '../errors/meshErrors.ts';
import type { Deadline } from '../invoke/deadline.ts';
import { invocationLogger } from '../logging/logger.ts';
import { cacheMaxAgeMs } from './cacheSettings.ts';
import { createSsmBackedCache } from './createSsmBackedCache.ts';
import { fallbackDeadline } from './fallbackDeadline.ts';
import type { IdentityCredentials } from './identityCredentials.ts';
import type { Loaded } from './refreshingCache.ts';
import { readParameters, readParameterVersions, type ParameterValue } from './ssmParameterReader.ts';

/** While a rotation is half-written, look again this soon (at most the cache age) rather than after the full cache age. */
const HALF_WRITTEN_RECHECK_MS = 5_000;

const credentials = createSsmBackedCache<IdentityCredentials>();

interface ParameterNames {
  cert: string;
  key: string;
  secret: string;
  ca: string;
}

/**
 * The identity's certificate, key, OIDC secret and the ingress CA, read in one GetParameters
 * call and cached. `force` bypasses the cache (after the ingress or IdP refused the current set).
 * A certificate paired with a key it does not match (a rotation written halfway) is never used:
 * the last good set keeps serving until both halves are written; a sandbox without one pairs
 * the newer half with the previous version of the other, which one more GetParameters call reads.
 *
 * @example
 * const creds = await loadIdentityCredentials(catalog, 'default', deadline);
 */
export async function loadIdentityCredentials(
  catalog: Catalog,
  identityName: string,
  deadline: Deadline,
  { force = false }: { force?: boolean } = {},
): Promise<IdentityCredentials> {
  const identity = catalog.identities[identityName];
  if (!identity) throw new ConfigError(`Unknown identity "${identityName}"`);
  const names: ParameterNames = {
    cert: identity.tls.certParameter,
    key: identity.tls.keyParameter,
    secret: identity.oidc.secretParameter,
    ca: catalog.ingress.caParameter,
  };
  const cacheKey = credentialsCacheKey(catalog, identityName);
  const wantsJwk = identity.oidc.mode === 'self_signed' || identity.oidc.auth === 'private_key_jwt';
  return credentials.get(
    cacheKey,
    async (previous, context): Promise<Loaded<IdentityCredentials>> => {
      const budget = fallbackDeadline(deadline, context);
      const values = await readParameters([...new Set(Object.values(names))], budget);
      const get = (name: string): ParameterValue => {
        const value = values.get(name);
        if (!value) throw new ConfigError(`SSM parameter ${name} has no value`);
        return value;
      };
      let cert = get(names.cert);
      let key = get(names.key);
      const pairError = checkPair(cert.value, key.value, names);
      if (pairError) {
        const halfWritten = {
          identity: identityName,
          certParameter: names.cert,
          certVersion: cert.version,
          keyParameter: names.key,
          keyVersion: key.version,
        };
        const recheckMs = Math.min(HALF_WRITTEN_RECHECK_MS, cacheMaxAgeMs());
        if (previous) {
          invocationLogger().warn('Certificate and key do not match; keeping last good pair', halfWritten);
          return { value: previous, maxAgeMs: recheckMs };
        }
        const pair = await previousMatchingPair(cert, key, names, budget);
        if (!pair) throw pairError;
        invocationLogger().warn('Certificate and key do not match; using the previous version of one', {
          ...halfWritten,
          usedCertVersion: pair.cert.version,
          usedKeyVersion: pair.key.version,
        });
        ({ cert, key } = pair);
        const secret = get(names.secret);
        const ca = get(names.ca);
        return { value: build(identityName, names, { cert, key, secret, ca }, wantsJwk), maxAgeMs: recheckMs };
      }
      return { value: build(identityName, names, { cert, key, secret: get(names.secret), ca: get(names.ca) }, wantsJwk) };
    },
    { force },
  );
}

/**
 * The identity's credentials if a fresh set is cached, synchronously: the warm path, without a promise.
 *
 * @example
 * const creds = cachedIdentityCredentials(catalog, 'default') ?? (await loadIdentityCredentials(catalog, 'default', deadline));
 */
export function cachedIdentityCredentials(catalog: Catalog, identityName: string): IdentityCredentials | undefined {
  return catalog.identities[identityName] ? credentials.fresh(credentialsCacheKey(catalog, identityName)) : undefined;
}

/** Keys already built, per parsed catalog: a catalog version is parsed once, its keys need building once. */
const cacheKeys = new WeakMap<Catalog, Map<string, string>>();

/** One cache entry per identity and parameter names (a catalog change that renames a parameter reads it anew). */
function credentialsCacheKey(catalog: Catalog, identityName: string): string {
  let keys = cacheKeys.get(catalog);
  if (!keys) cacheKeys.set(catalog, (keys = new Map()));
  let key = keys.get(identityName);
  if (key === undefined) {
    const identity = catalog.identities[identityName]!;
    key = [identityName, identity.tls.certParameter, identity.tls.keyParameter, identity.oidc.secretParameter, catalog.ingress.caParameter].join('\n');
    keys.set(identityName, key);
  }
  return key;
}

function build(
  identityName: string,
  names: ParameterNames,
  read: Record<'cert' | 'key' | 'secret' | 'ca', ParameterValue>,
  wantsJwk: boolean,
): IdentityCredentials {
  const { cert, key, secret, ca } = read;
  return {
    identity: identityName,
    certPem: cert.value,
    keyPem: key.value,
    caPem: ca.value,
    oidcSecret: parseOidcSecret(secret.value, wantsJwk, names.secret),
    version: `cert:${cert.version}.key:${key.version}.secret:${secret.version}.ca:${ca.version}`,
    certNotAfter: new X509Certificate(cert.value).validTo,
  };
}

/**
 * A rotation writes one half first. Whichever it was, the previous version of the *other*
 * half is the old partner of the one not yet rewritten: one read of both previous versions
 * finds the pair that matches (the old pair), if any.
 */
async function previousMatchingPair(
  cert: ParameterValue,
  key: ParameterValue,
  names: ParameterNames,
  deadline: Deadline,
): Promise<{ cert: ParameterValue; key: ParameterValue } | undefined> {
  const selectors = [
    ...(cert.version > 1 ? [{ name: names.cert, version: cert.version - 1 }] : []),
    ...(key.version > 1 ? [{ name: names.key, version: key.version - 1 }] : []),
  ];
  if (selectors.length === 0) return undefined;
  const older = await readParameterVersions(selectors, deadline);
  const olderCert = older.find((parameter) => parameter.name === names.cert);
  const olderKey = older.find((parameter) => parameter.name === names.key);
  const candidates = [
    ...(olderCert ? [{ cert: olderCert, key }] : []),
    ...(olderKey ? [{ cert, key: olderKey }] : []),
  ];
  return candidates.find((pair) => checkPair(pair.cert.value, pair.key.value, names) === undefined);
}

/** The error to throw when the certificate and key are unusable or do not belong together. */
function checkPair(certPem: string, keyPem: string, names: { cert: string; key: string }): ConfigError | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (error) {
    return new ConfigError(`Parameter ${names.cert} does not hold a PEM certificate`, { cause: scrub(error) });
  }
  try {
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) {
      return new ConfigError(`Key in ${names.key} does not match certificate in ${names.cert}`);
    }
  } catch (error) {
    return new ConfigError(`Parameter ${names.key} does not hold a PEM private key`, { cause: scrub(error) });
  }
  return undefined;
}

function parseOidcSecret(text: string, wantsJwk: boolean, name: string): IdentityCredentials['oidcSecret'] {
  if (!wantsJwk) return { kind: 'secret', value: text };
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new ConfigError(`Parameter ${name} does not hold a JSON private JWK`);
  }
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.kid !== 'string' || typeof jwk.d !== 'string') {
    throw new ConfigError(`Parameter ${name} must hold a private JWK with "kid"`);
  }
  return { kind: 'jwk', value: jwk as JWK & { kid: string } };
}

/** Crypto errors can quote their input; keep only the code. */
function scrub(error: unknown): Error {
  const scrubbed = new Error('crypto parse failure');
  scrubbed.name = (error as { code?: string }).code ?? 'Error';
  return scrubbed;
}
