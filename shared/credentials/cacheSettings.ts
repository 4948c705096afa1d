/** MESHGATE_CACHE_SECONDS (default 300): how long SSM values are used before they are read again. */
export function cacheMaxAgeMs(): number {
  return secondsFromEnv('MESHGATE_CACHE_SECONDS', 300) * 1000;
}

/**
 * While SSM is unreachable or throttled, cached values keep serving for this long past their
 * age. Fifteen minutes rides out the SSM incidents seen in practice, yet keeps the window in
 * which a revoked credential could still be used small.
 */
export const OUTAGE_GRACE_MS = 15 * 60_000;

/** MESHGATE_OUTAGE_GRACE_SECONDS (default 900, OUTAGE_GRACE_MS): the grace period, settable for tests and drills. */
export function outageGraceMs(): number {
  return secondsFromEnv('MESHGATE_OUTAGE_GRACE_SECONDS', OUTAGE_GRACE_MS / 1000) * 1000;
}

/**
 * After a failed refresh served a cached value, the source is not asked again for this long
 * (at most the cache age): an outage costs each sandbox one probe per interval, not one per
 * invocation.
 */
export function outageRecheckMs(): number {
  return Math.min(30_000, cacheMaxAgeMs());
}

/**
 * A refresh that could fall back to a usable cached value gets at most this long (about two
 * throttled SDK attempts); past it the cached value serves and the invocation keeps its time
 * for the call itself.
 */
export const FALLBACK_REFRESH_BUDGET_MS = 2_000;

function secondsFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  const seconds = text === undefined || text.trim() === '' ? fallback : Number(text);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : fallback;
}
