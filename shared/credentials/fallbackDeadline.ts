import { Deadline } from '../invoke/deadline.ts';
import { FALLBACK_REFRESH_BUDGET_MS } from './cacheSettings.ts';
import type { LoadContext } from './refreshingCache.ts';

/** One budget per invocation (per Deadline), shared by its catalog, credential and token refreshes. */
const budgets = new WeakMap<Deadline, Deadline>();

/**
 * The deadline for a refresh: the invocation's, or, when a usable cached value can take over
 * should the refresh fail, a budget of FALLBACK_REFRESH_BUDGET_MS that all of the invocation's
 * fallback-able refreshes share. A throttled or hung SSM or IdP then delays the invocation by
 * a bounded amount (once: the next refresh finds the budget spent and falls back at once)
 * instead of eating its whole time.
 *
 * @example
 * const values = await readParameters(names, fallbackDeadline(deadline, context));
 */
export function fallbackDeadline(deadline: Deadline, context: LoadContext): Deadline {
  if (!context.canFallBack) return deadline;
  let budget = budgets.get(deadline);
  if (!budget) {
    budget = new Deadline(Math.min(deadline.at, Date.now() + FALLBACK_REFRESH_BUDGET_MS));
    budgets.set(deadline, budget);
  }
  return budget;
}
