import { afterEach, describe, expect, it, vi } from 'vitest';
import { SSM_MAX_ATTEMPTS, SSM_MAX_BACKOFF_MS, ssmRetryStrategy } from '../../../shared/credentials/ssmRetryStrategy.ts';

// What the retry middleware hands the strategy for a 400 ThrottlingException (the error itself is not consulted).
const throttling = { errorType: 'THROTTLING' as const };

describe('Function: ssmRetryStrategy', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('retries throttling with full-jitter backoff from 1 s, each delay capped, up to SSM_MAX_ATTEMPTS', async () => {
    // Prepare: the largest delay jitter can pick, and timers that skip the sleeps
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
    vi.useFakeTimers();
    const strategy = ssmRetryStrategy();
    let token = await strategy.acquireInitialRetryToken('');
    const delays: number[] = [];

    // Act
    for (;;) {
      const before = Date.now();
      const refreshing = strategy.refreshRetryTokenForRetry(token, throttling);
      const settled = refreshing.then(
        (next) => ({ next }),
        () => ({ next: undefined }),
      );
      await vi.runAllTimersAsync();
      const { next } = await settled;
      if (!next) break;
      delays.push(Date.now() - before);
      token = next;
    }

    // Assess
    expect(delays).toHaveLength(SSM_MAX_ATTEMPTS - 1);
    expect(delays.slice(0, 3)).toEqual([999, 1999, 3999]);
    expect(Math.max(...delays)).toBeLessThan(SSM_MAX_BACKOFF_MS);
    expect(delays.slice(3).every((delay) => delay === SSM_MAX_BACKOFF_MS - 1)).toBe(true);
  });
});
