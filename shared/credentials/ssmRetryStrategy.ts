import { StandardRetryStrategy } from '@smithy/core/retry';

/**
 * Attempts per SSM call. The deadline (the SDK call's abort signal, which also cuts a backoff
 * sleep short) is the real bound; ten attempts only stop a long-running Lambda from retrying
 * a throttled SSM for minutes.
 */
export const SSM_MAX_ATTEMPTS = 10;

/**
 * Largest single backoff. The SDK's own cap is 20 s, so its sixth throttled retry could sleep
 * past a 30 s Lambda's deadline; at 5 s a cold herd against Parameter Store's 40 requests a
 * second still drains at the quota, and no attempt budget runs out before the deadline does.
 */
export const SSM_MAX_BACKOFF_MS = 5_000;

/**
 * The SDK's standard retry (same error classification: ThrottlingException and the other
 * throttling codes, 5xx, timeouts, ECONNRESET/ECONNREFUSED; same retry quota and full-jitter
 * exponential backoff from 1 s for throttling, 50 ms otherwise), with more attempts and each
 * delay capped, so throttled calls keep trying until the invocation's deadline.
 *
 * @example
 * new SSMClient({ retryStrategy: ssmRetryStrategy() });
 */
export function ssmRetryStrategy(): StandardRetryStrategy {
  let delayBase = 50;
  return new StandardRetryStrategy({
    maxAttempts: SSM_MAX_ATTEMPTS,
    backoff: {
      // The strategy sets the base before each computation: throttling or not.
      setDelayBase(delay: number) {
        delayBase = delay;
      },
      computeNextBackoffDelay(retries: number) {
        return Math.floor(Math.random() * Math.min(delayBase * 2 ** retries, SSM_MAX_BACKOFF_MS));
      },
    },
  });
}
