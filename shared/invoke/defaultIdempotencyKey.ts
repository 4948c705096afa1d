import { createHash, randomUUID } from 'node:crypto';
import type { TaskContext } from '../task/httpTask.ts';

/**
 * The key sent as `idempotency-key` when the task sets none: a hash of execution id, state name
 * and map index, so every ASL retry of the same state (and only of it) carries the same key.
 * Without a context object there is nothing stable to hash, so each invocation gets a random key.
 *
 * @example
 * defaultIdempotencyKey({ executionId: 'arn:...:exec', stateName: 'Charge' }) // 'mg1-3f2a…'
 */
export function defaultIdempotencyKey(context: TaskContext | undefined): string {
  if (!context?.executionId || !context.stateName) return `mg1-${randomUUID()}`;
  const material = JSON.stringify([context.executionId, context.stateName, context.mapIndex ?? null]);
  return `mg1-${createHash('sha256').update(material).digest('base64url').slice(0, 32)}`;
}
