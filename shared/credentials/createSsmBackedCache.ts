import { isMeshError } from '../errors/meshErrors.ts';
import { cacheMaxAgeMs, outageGraceMs, outageRecheckMs } from './cacheSettings.ts';
import { RefreshingCache } from './refreshingCache.ts';

/**
 * A cache for values read from SSM (catalog, credentials, descriptor sets): fresh for
 * MESHGATE_CACHE_SECONDS, served stale for MESHGATE_OUTAGE_GRACE_SECONDS while SSM is unreachable
 * or throttled, rechecked after an outage at the configured interval. One policy for every SSM value.
 *
 * @example
 * const catalogs = createSsmBackedCache<Catalog>();
 */
export function createSsmBackedCache<T>(): RefreshingCache<T> {
  return new RefreshingCache<T>({
    maxAgeMs: cacheMaxAgeMs,
    graceMs: outageGraceMs,
    outageRecheckMs,
    isOutage: (error) => isMeshError(error) && error.name === 'Mesh.CredentialsUnavailable',
  });
}
