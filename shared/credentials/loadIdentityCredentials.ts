import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { JWK } from 'jose';
import type { Catalog } from '../catalog/catalogTypes.ts';
import { ConfigError, isMeshError } from '../errors/meshErrors.ts';
import type { Deadline } from '../invoke/deadline.ts';
import { logger } from '../logging/logger.ts';
import { cacheMaxAgeMs, OUTAGE_GRACE_MS } from './cacheSettings.ts';
import type { IdentityCredentials } from './identityCredentials.ts';
import { RefreshingCache, type Loaded } from './refreshingCache.ts';
import { readParameters, type ParameterValue } from './ssmParameterReader.ts';

/** While a rotation is half-written, look again this soon rather than after the full cache age. */
const HALF_WRITTEN_RECHECK_MS = 5_000;

const credentials = new RefreshingCache<IdentityCredentials>({
  maxAgeMs: cacheMaxAgeMs,
  graceMs: OUTAGE_GRACE_MS,
  isOutage: (error) => isMeshError(error) && error.name === 'Mesh.CredentialsUnavailable',
});

/**
 * The identity's certificate, key, OIDC secret and the ingress CA, read in one GetParameters
 * call and cached. `force` bypasses the cache (after the ingress or IdP refused the current set).
 * A certificate paired with a key it does not match (a rotation written halfway) is never used:
 * the last good set keeps serving until both halves are written.
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
  const names = {
    cert: identity.tls.certParameter,
    key: identity.tls.keyParameter,
    secret: identity.oidc.secretParameter,
    ca: catalog.ingress.caParameter,
  };
  const cacheKey = [identityName, names.cert, names.key, names.secret, names.ca].join('\n');
  return credentials.get(
    cacheKey,
    async (previous): Promise<Loaded<IdentityCredentials>> => {
      const values = await readParameters([...new Set(Object.values(names))], deadline);
      const get = (name: string): ParameterValue => {
        const value = values.get(name);
        if (!value) throw new ConfigError(`SSM parameter ${name} has no value`);
        return value;
      };
      const cert = get(names.cert);
      const key = get(names.key);
      const pairError = checkPair(cert.value, key.value, names);
      if (pairError) {
        if (previous) {
          logger.warn('Certificate and key do not match; keeping last good pair', {
            identity: identityName,
            certParameter: names.cert,
            certVersion: cert.version,
            keyParameter: names.key,
            keyVersion: key.version,
          });
          return { value: previous, maxAgeMs: HALF_WRITTEN_RECHECK_MS };
        }
        throw pairError;
      }
      const secret = get(names.secret);
      const ca = get(names.ca);
      return {
        value: {
          identity: identityName,
          certPem: cert.value,
          keyPem: key.value,
          caPem: ca.value,
          oidcSecret: parseOidcSecret(secret.value, identity.oidc.mode === 'self_signed' || identity.oidc.auth === 'private_key_jwt', names.secret),
          version: `cert:${cert.version}.key:${key.version}.secret:${secret.version}.ca:${ca.version}`,
          certNotAfter: new X509Certificate(cert.value).validTo,
        },
      };
    },
    { force },
  );
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
