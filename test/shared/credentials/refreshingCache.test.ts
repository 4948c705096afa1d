import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RefreshingCache, type LoadContext, type Loaded } from '../../../shared/credentials/refreshingCache.ts';
import { capturedLogRecords } from '../../support/capturedOutput.ts';

const MAX_AGE_MS = 1_000;
const GRACE_MS = 5_000;

class OutageError extends Error {
  override readonly name = 'OutageError';
}
class VerdictError extends Error {
  override readonly name = 'VerdictError';
}

function newCache(maxAgeMs: () => number = () => MAX_AGE_MS): RefreshingCache<string> {
  return new RefreshingCache<string>({ maxAgeMs, graceMs: GRACE_MS, isOutage: (error) => error instanceof OutageError });
}

/** A loader whose answers the test hands out in order; records what it was called with. */
function scriptedLoader(...answers: Array<Loaded<string> | Error>) {
  const calls: Array<string | undefined> = [];
  const load = vi.fn(async (previous: string | undefined): Promise<Loaded<string>> => {
    calls.push(previous);
    const answer = answers.shift();
    if (answer === undefined) throw new Error('loader called more often than scripted');
    if (answer instanceof Error) throw answer;
    return answer;
  });
  return { load, calls };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Class: RefreshingCache', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2025-03-01T12:00:00Z') });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves a fresh value without calling the loader again', async () => {
    // Prepare
    const cache = newCache();
    const { load } = scriptedLoader({ value: 'v1' });
    await cache.get('k', load);
    vi.advanceTimersByTime(MAX_AGE_MS - 1);

    // Act
    const value = await cache.get('k', load);

    // Assess
    expect(value).toBe('v1');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('hands out a value through fresh() only while it is fresh, without loading', async () => {
    // Prepare
    const cache = newCache();
    const { load } = scriptedLoader({ value: 'v1' });
    expect(cache.fresh('k')).toBeUndefined();
    await cache.get('k', load);

    // Act & Assess
    vi.advanceTimersByTime(MAX_AGE_MS - 1);
    expect(cache.fresh('k')).toBe('v1');
    vi.advanceTimersByTime(1);
    expect(cache.fresh('k')).toBeUndefined();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('shares one in-flight load between concurrent callers', async () => {
    // Prepare
    const cache = newCache();
    const gate = deferred<Loaded<string>>();
    const load = vi.fn(() => gate.promise);

    // Act
    const first = cache.get('k', load);
    const second = cache.get('k', load);
    gate.resolve({ value: 'v1' });
    const values = await Promise.all([first, second]);

    // Assess
    expect(values).toEqual(['v1', 'v1']);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('shares a failing in-flight load too, and does not cache the failure', async () => {
    // Prepare
    const cache = newCache();
    const gate = deferred<Loaded<string>>();
    const load = vi.fn(() => gate.promise);
    const first = cache.get('k', load);
    const second = cache.get('k', load);
    gate.reject(new VerdictError('bad'));
    const results = await Promise.allSettled([first, second]);

    // Act
    const retried = await cache.get('k', async () => ({ value: 'v2' }));

    // Assess
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(load).toHaveBeenCalledTimes(1);
    expect(retried).toBe('v2');
  });

  it('reloads a stale value and hands the loader the previous one', async () => {
    // Prepare
    const cache = newCache();
    const { load, calls } = scriptedLoader({ value: 'v1' }, { value: 'v2' });
    await cache.get('k', load);
    vi.advanceTimersByTime(MAX_AGE_MS);

    // Act
    const value = await cache.get('k', load);

    // Assess
    expect(value).toBe('v2');
    expect(calls).toEqual([undefined, 'v1']);
  });

  it('reads maxAgeMs at every load so a changed setting applies', async () => {
    // Prepare
    let maxAgeMs = 10_000;
    const cache = newCache(() => maxAgeMs);
    const { load } = scriptedLoader({ value: 'v1' }, { value: 'v2' }, { value: 'v3' });
    await cache.get('k', load);
    maxAgeMs = 0; // MESHGATE_CACHE_SECONDS=0: every get reads again
    vi.advanceTimersByTime(10_000);
    await cache.get('k', load);

    // Act
    const value = await cache.get('k', load);

    // Assess
    expect(value).toBe('v3');
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('bypasses a fresh value when forced', async () => {
    // Prepare
    const cache = newCache();
    const { load, calls } = scriptedLoader({ value: 'v1' }, { value: 'v2' });
    await cache.get('k', load);

    // Act
    const value = await cache.get('k', load, { force: true });

    // Assess
    expect(value).toBe('v2');
    expect(calls).toEqual([undefined, 'v1']);
    expect(cache.peek('k')).toBe('v2');
  });

  it('serves the stale value during an outage, within the grace period, and logs it', async () => {
    // Prepare
    const cache = newCache();
    const { load } = scriptedLoader({ value: 'v1' }, new OutageError('SSM throttled'));
    await cache.get('k', load);
    vi.advanceTimersByTime(MAX_AGE_MS + GRACE_MS - 1);

    // Act
    const value = await cache.get('k', load);

    // Assess
    expect(value).toBe('v1');
    expect(load).toHaveBeenCalledTimes(2);
    const warning = capturedLogRecords().find((record) => record.message === 'Serving cached value during outage');
    expect(warning).toMatchObject({ level: 'WARN', cacheKey: 'k', staleForMs: GRACE_MS - 1, error: 'OutageError' });
  });

  it('tries the source again on the next get after serving stale', async () => {
    // Prepare
    const cache = newCache();
    const { load } = scriptedLoader({ value: 'v1' }, new OutageError('down'), { value: 'v2' });
    await cache.get('k', load);
    vi.advanceTimersByTime(MAX_AGE_MS);
    await cache.get('k', load);

    // Act
    const value = await cache.get('k', load);

    // Assess
    expect(value).toBe('v2');
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('throws the outage error once the grace period has passed', async () => {
    // Prepare
    const cache = newCache();
    const outage = new OutageError('SSM throttled');
    const { load } = scriptedLoader({ value: 'v1' }, outage);
    await cache.get('k', load);
    vi.advanceTimersByTime(MAX_AGE_MS + GRACE_MS);

    // Act
    const result = cache.get('k', load);

    // Assess
    await expect(result).rejects.toBe(outage);
  });

  it('throws the outage error when forced, rather than serving the refused value', async () => {
    // Prepare
    const cache = newCache();
    const outage = new OutageError('SSM throttled');
    const { load } = scriptedLoader({ value: 'v1' }, outage);
    await cache.get('k', load);
    vi.advanceTimersByTime(MAX_AGE_MS + 1);

    // Act
    const result = cache.get('k', load, { force: true });

    // Assess
    await expect(result).rejects.toBe(outage);
  });

  it('throws the outage error when nothing was cached', async () => {
    // Prepare
    const cache = newCache();
    const outage = new OutageError('SSM unreachable');
    const { load } = scriptedLoader(outage);

    // Act
    const result = cache.get('k', load);

    // Assess
    await expect(result).rejects.toBe(outage);
  });

  it('throws an error that is not an outage even with a usable value cached', async () => {
    // Prepare
    const cache = newCache();
    const verdict = new VerdictError('key does not match certificate');
    const { load } = scriptedLoader({ value: 'v1' }, verdict);
    await cache.get('k', load);
    vi.advanceTimersByTime(MAX_AGE_MS);

    // Act
    const result = cache.get('k', load);

    // Assess
    await expect(result).rejects.toBe(verdict);
    expect(cache.peek('k')).toBe('v1');
  });

  it('honours a shorter Loaded.maxAgeMs', async () => {
    // Prepare
    const cache = newCache();
    const { load } = scriptedLoader({ value: 'v1', maxAgeMs: 100 }, { value: 'v2' });
    await cache.get('k', load);
    vi.advanceTimersByTime(100);

    // Act
    const value = await cache.get('k', load);

    // Assess
    expect(value).toBe('v2');
  });

  it('honours Loaded.graceMs: grace 0 serves nothing stale', async () => {
    // Prepare
    const cache = newCache();
    const outage = new OutageError('down');
    const { load } = scriptedLoader({ value: 'v1', graceMs: 0 }, outage);
    await cache.get('k', load);
    vi.advanceTimersByTime(MAX_AGE_MS);

    // Act
    const result = cache.get('k', load);

    // Assess
    await expect(result).rejects.toBe(outage);
  });

  it('honours a longer Loaded.graceMs', async () => {
    // Prepare
    const cache = newCache();
    const { load } = scriptedLoader({ value: 'v1', graceMs: GRACE_MS * 10 }, new OutageError('down'));
    await cache.get('k', load);
    vi.advanceTimersByTime(MAX_AGE_MS + GRACE_MS * 5);

    // Act
    const value = await cache.get('k', load);

    // Assess
    expect(value).toBe('v1');
  });

  it('keeps keys apart', async () => {
    // Prepare
    const cache = newCache();
    await cache.get('a', async () => ({ value: 'A' }));

    // Act
    const value = await cache.get('b', async () => ({ value: 'B' }));

    // Assess
    expect([value, cache.peek('a'), cache.peek('b')]).toEqual(['B', 'A', 'B']);
  });

  it('forgets entries with delete and clear', async () => {
    // Prepare
    const cache = newCache();
    await cache.get('a', async () => ({ value: 'A' }));
    await cache.get('b', async () => ({ value: 'B' }));

    // Act
    cache.delete('a');
    const afterDelete = [cache.peek('a'), cache.peek('b')];
    cache.clear();

    // Assess
    expect(afterDelete).toEqual([undefined, 'B']);
    expect(cache.peek('b')).toBeUndefined();
  });

  it('does not hand a forced caller the stale value a concurrent unforced load served during an outage', async () => {
    // Prepare
    const cache = newCache();
    await cache.get('k', async () => ({ value: 'refused-v1' }));
    vi.advanceTimersByTime(MAX_AGE_MS);
    const gate = deferred<Loaded<string>>();
    const unforced = cache.get('k', () => gate.promise);

    // Act
    const forced = cache.get('k', async () => ({ value: 'v2' }), { force: true });
    gate.reject(new OutageError('SSM throttled'));
    const [unforcedResult, forcedResult] = await Promise.allSettled([unforced, forced]);

    // Assess
    expect(unforcedResult).toEqual({ status: 'fulfilled', value: 'refused-v1' });
    expect(forcedResult).not.toEqual({ status: 'fulfilled', value: 'refused-v1' });
  });
  it('tells the loader whether a usable value could take over, and never when forced or past the grace period', async () => {
    // Prepare
    const cache = newCache();
    const seen: boolean[] = [];
    const load = async (_previous: string | undefined, context: LoadContext) => {
      seen.push(context.canFallBack);
      return { value: 'v' };
    };
    await cache.get('k', load);
    vi.advanceTimersByTime(MAX_AGE_MS);
    await cache.get('k', load);
    await cache.get('k', load, { force: true });
    vi.advanceTimersByTime(MAX_AGE_MS + GRACE_MS);

    // Act
    await cache.get('k', load);

    // Assess
    expect(seen).toEqual([false, true, false, false]);
  });

  it('falls back when a refresh that started within the grace period fails after it', async () => {
    // Prepare
    const cache = newCache();
    await cache.get('k', async () => ({ value: 'v1' }));
    vi.advanceTimersByTime(MAX_AGE_MS + GRACE_MS - 1);

    // Act
    const value = cache.get('k', async () => {
      vi.advanceTimersByTime(10);
      throw new OutageError('still down');
    });

    // Assess
    await expect(value).resolves.toBe('v1');
  });

  it('after serving stale, waits outageRecheckMs before asking the source again, never past the grace period', async () => {
    // Prepare
    const cache = new RefreshingCache<string>({
      maxAgeMs: MAX_AGE_MS,
      graceMs: () => GRACE_MS,
      outageRecheckMs: 2_000,
      isOutage: (error) => error instanceof OutageError,
    });
    const { load } = scriptedLoader({ value: 'v1' }, new OutageError('down'), new OutageError('down'), { value: 'v2' });
    await cache.get('k', load);
    vi.advanceTimersByTime(MAX_AGE_MS);
    await cache.get('k', load); // outage: stale served, next probe in 2 s

    // Act
    vi.advanceTimersByTime(1_999);
    const withinRecheck = await cache.get('k', load);
    vi.advanceTimersByTime(1);
    const probed = await cache.get('k', load); // outage again: stale, recheck capped at the grace period's end
    vi.advanceTimersByTime(GRACE_MS);
    const afterGrace = await cache.get('k', load);

    // Assess
    expect([withinRecheck, probed, afterGrace]).toEqual(['v1', 'v1', 'v2']);
    expect(load).toHaveBeenCalledTimes(4);
  });
});
