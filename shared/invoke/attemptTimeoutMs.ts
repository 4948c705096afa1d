import type { Deadline } from './deadline.ts';

/**
 * One attempt's timeout: the task's timeoutMs, capped by the service's and by what is left
 * before the invocation's deadline (0 or less: no time for an attempt).
 */
export function attemptTimeoutMs(taskTimeoutMs: number | undefined, serviceTimeoutMs: number | undefined, deadline: Deadline): number {
  return Math.min(taskTimeoutMs ?? Number.POSITIVE_INFINITY, serviceTimeoutMs ?? Number.POSITIVE_INFINITY, deadline.remainingMs());
}
