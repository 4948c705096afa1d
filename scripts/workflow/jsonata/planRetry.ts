import type { Retrier } from '../stateMachineDefinition.ts';
import { matchesError } from './matchesError.ts';

/**
 * The ASL retry decision: the first retrier whose ErrorEquals matches decides (an exhausted one
 * does not fall through to later ones). The wait is IntervalSeconds × BackoffRate^retries, capped
 * by MaxDelaySeconds, and with `JitterStrategy: FULL` a random value between 0 and that.
 * `retriesSoFar` holds one counter per retrier and is advanced when a retry is planned.
 *
 * @example
 * planRetry(state.Retry, counters, 'Mesh.Unavailable', 'Task') // { delayMs: 713 } or undefined
 */
export function planRetry(
  retriers: Retrier[] | undefined,
  retriesSoFar: number[],
  error: string,
  stateType: string,
): { delayMs: number } | undefined {
  for (const [index, retrier] of (retriers ?? []).entries()) {
    if (!matchesError(retrier.ErrorEquals, error, stateType)) continue;
    const done = retriesSoFar[index] ?? 0;
    if (done >= (retrier.MaxAttempts ?? 3)) return undefined;
    retriesSoFar[index] = done + 1;
    const backoff = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** done;
    const capped = Math.min(backoff, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY) * 1000;
    return { delayMs: Math.round(retrier.JitterStrategy === 'FULL' ? Math.random() * capped : capped) };
  }
  return undefined;
}
