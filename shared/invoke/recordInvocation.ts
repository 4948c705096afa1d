import { logger } from '../logging/logger.ts';
import { recordInvocationMetrics } from '../observability/recordInvocationMetrics.ts';
import type { TaskContext } from '../task/httpTask.ts';

/** What one invocation did, filled in as it goes; never holds a value that could be a secret. */
export interface InvocationRecord {
  service?: string;
  method?: string;
  /** The path *template* (`/v1/orders/{orderId}`): parameters may be personal data. */
  pathTemplate?: string;
  context?: TaskContext;
  identity?: string;
  credentialVersion?: string;
  attempts: number;
  status?: number;
  error?: string;
  durationMs?: number;
}

/**
 * One audit line per invocation, success or failure, with a fixed message so log queries can
 * filter on it; and the invocation's metrics (flushed by the `logMetrics` middleware).
 */
export function recordInvocation(record: InvocationRecord): void {
  logger.info('meshgate invocation', {
    executionId: record.context?.executionId,
    stateName: record.context?.stateName,
    mapIndex: record.context?.mapIndex,
    meshService: record.service,
    method: record.method,
    pathTemplate: record.pathTemplate,
    outcome: record.error ?? record.status,
    attempts: record.attempts,
    durationMs: record.durationMs,
    identity: record.identity,
    credentialVersion: record.credentialVersion,
  });
  recordInvocationMetrics(record);
}
