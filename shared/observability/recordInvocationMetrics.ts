import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { InvocationRecord } from '../invoke/recordInvocation.ts';
import { metrics } from './metrics.ts';

/**
 * Dimension value for invocations that never resolved a catalog entry (invalid task, unknown
 * service, unreadable catalog): the task's own service name would let any input mint new metrics.
 */
export const UNRESOLVED_SERVICE = 'unresolved';

/**
 * One invocation's metrics: `latency` (ms) and `attempts` with dimension `meshService`, and on failure
 * `errors` (count 1) with dimensions `meshService` and `error` (the Mesh.* name). The error metric is
 * published on its own so that the error dimension does not multiply the other metrics.
 * `meshService`, not `service`: Powertools owns `service` (the function's name) as a default
 * dimension, and overwriting it per invocation makes Powertools warn on every call.
 *
 * @example
 * recordInvocationMetrics({ service: 'orders', identity: 'default', attempts: 1, status: 200, durationMs: 12 });
 */
export function recordInvocationMetrics(record: InvocationRecord): void {
  // `identity` is set once the service resolved in the catalog.
  const service = record.identity && record.service ? record.service : UNRESOLVED_SERVICE;
  metrics.addDimension('meshService', service);
  metrics.addMetric('latency', MetricUnit.Milliseconds, record.durationMs ?? 0);
  metrics.addMetric('attempts', MetricUnit.Count, record.attempts);
  if (record.error) {
    metrics
      .singleMetric()
      .addDimensions({ meshService: service, error: record.error })
      .addMetric('errors', MetricUnit.Count, 1);
  }
}
