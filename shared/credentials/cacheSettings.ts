/** MESHGATE_CACHE_SECONDS (default 300): how long SSM values are used before they are read again. */
export function cacheMaxAgeMs(): number {
  const seconds = Number(process.env.MESHGATE_CACHE_SECONDS ?? 300);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 300_000;
}

/**
 * While SSM is unreachable or throttled, cached values keep serving for this long past their
 * age. Fifteen minutes rides out the SSM incidents seen in practice, yet keeps the window in
 * which a revoked credential could still be used small.
 */
export const OUTAGE_GRACE_MS = 15 * 60_000;
