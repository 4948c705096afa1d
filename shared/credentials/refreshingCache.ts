import { invocationLogger } from '../logging/logger.ts';

/** What a loader returns: the value, and optionally a shorter freshness than the cache's default. */
export interface Loaded<T> {
  value: T;
  maxAgeMs?: number;
  /** How long past its freshness this value may serve during an outage (default: the cache's). */
  graceMs?: number;
}

/** What the cache tells a loader besides the previous value. */
export interface LoadContext {
  /**
   * A cached value is still usable should this load fail with an outage: the loader may give up
   * early (see FALLBACK_REFRESH_BUDGET_MS) rather than spend the invocation's time on retries.
   */
  canFallBack: boolean;
}

/** A setting read at every load (so an environment change applies), or a constant. */
type Setting = number | (() => number);

export interface RefreshingCacheOptions {
  /** Freshness of a loaded value (read each time, so MESHGATE_CACHE_SECONDS is honoured when it changes). */
  maxAgeMs: Setting;
  /** How long past its freshness a value may still serve while its source is unavailable. */
  graceMs: Setting;
  /**
   * After an outage made the cache serve a stale value, how long before the source is tried
   * again (default 0: at the next get). Never extends a value past its grace period.
   */
  outageRecheckMs?: Setting;
  /** Decides whether a load failure is an outage (serve stale) or a verdict (throw). */
  isOutage: (error: unknown) => boolean;
}

interface Entry<T> {
  value: T;
  freshUntil: number;
  usableUntil: number;
}

/**
 * A per-key cache that survives warm starts: fresh values are served without I/O, concurrent
 * callers share one in-flight load, and during an outage the last value keeps serving until
 * its freshness plus a bounded grace period has passed.
 *
 * @example
 * const cache = new RefreshingCache<string>({ maxAgeMs: () => 300_000, graceMs: 900_000, isOutage });
 * const value = await cache.get('key', async () => ({ value: await read() }));
 */
export class RefreshingCache<T> {
  readonly #options: RefreshingCacheOptions;
  readonly #entries = new Map<string, Entry<T>>();
  readonly #inFlight = new Map<string, { promise: Promise<T>; forced: boolean }>();

  constructor(options: RefreshingCacheOptions) {
    this.#options = options;
  }

  /** The cached value if fresh; otherwise the result of `load` (shared with concurrent callers). */
  async get(
    key: string,
    load: (previous: T | undefined, context: LoadContext) => Promise<Loaded<T>>,
    { force = false }: { force?: boolean } = {},
  ): Promise<T> {
    const entry = this.#entries.get(key);
    if (!force && entry && Date.now() < entry.freshUntil) return entry.value;
    const pending = this.#inFlight.get(key);
    // A forced caller must not join a plain load: that one may fall back to the refused value.
    if (pending && (pending.forced || !force)) return pending.promise;
    const loading = this.#load(key, entry, load, force).finally(() => {
      if (this.#inFlight.get(key)?.promise === loading) this.#inFlight.delete(key);
    });
    this.#inFlight.set(key, { promise: loading, forced: force });
    return loading;
  }

  /** The value if it is fresh, without loading: the warm path of every invocation, kept free of promises and closures. */
  fresh(key: string): T | undefined {
    const entry = this.#entries.get(key);
    return entry && Date.now() < entry.freshUntil ? entry.value : undefined;
  }

  /** The value without loading, fresh or not (for diagnostics and tests). */
  peek(key: string): T | undefined {
    return this.#entries.get(key)?.value;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  async #load(
    key: string,
    entry: Entry<T> | undefined,
    load: (previous: T | undefined, context: LoadContext) => Promise<Loaded<T>>,
    force: boolean,
  ): Promise<T> {
    // A forced refresh happens because the cached value was refused: serving it again is pointless.
    const canFallBack = !force && entry !== undefined && Date.now() < entry.usableUntil;
    try {
      const loaded = await load(entry?.value, { canFallBack });
      const freshUntil = Date.now() + (loaded.maxAgeMs ?? read(this.#options.maxAgeMs));
      this.#entries.set(key, { value: loaded.value, freshUntil, usableUntil: freshUntil + (loaded.graceMs ?? read(this.#options.graceMs)) });
      return loaded.value;
    } catch (error) {
      // Usability is judged when the refresh starts: a refresh that outlasts the grace period still falls back.
      if (entry && canFallBack && this.#options.isOutage(error)) {
        const now = Date.now();
        invocationLogger().warn('Serving cached value during outage', {
          cacheKey: key,
          staleForMs: now - entry.freshUntil,
          usableForMs: entry.usableUntil - now,
          error: (error as Error).name,
        });
        // Checked again only after the recheck interval: one probe per interval, not per invocation.
        const recheckMs = read(this.#options.outageRecheckMs ?? 0);
        if (recheckMs > 0) entry.freshUntil = Math.min(now + recheckMs, entry.usableUntil);
        return entry.value;
      }
      throw error;
    }
  }
}

function read(setting: Setting): number {
  return typeof setting === 'function' ? setting() : setting;
}
