import type { InvocationRecord } from '../invoke/recordInvocation.ts';

/**
 * Dimension value for invocations that never resolved a catalog entry (invalid task, unknown
 * service, unreadable catalog): the task's own service name would let any input mint new metrics.
 */
export const UNRESOLVED_SERVICE = 'unresolved';

/** One metric directive of an EMF document (CloudWatch embedded metric format specification). */
export interface MetricDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: Array<{ Name: string; Unit: 'Milliseconds' | 'Count' }>;
}

/** The EMF members of an invocation record: the `_aws` metadata and every member it names. */
export interface InvocationMetrics {
  _aws: { Timestamp: number; CloudWatchMetrics: MetricDirective[] };
  service: string;
  meshService: string;
  durationMs: number;
  attempts: number;
  error?: string;
  errors?: 1;
  function_name?: string;
  ColdStart?: 1;
}

export interface InvocationMetricsSettings {
  namespace: string;
  /** The `service` dimension: the function's service name (POWERTOOLS_SERVICE_NAME). */
  serviceName: string;
  /** The function's name on the first invocation of an on-demand sandbox: adds the ColdStart metric. */
  coldStartOf?: string;
}

/**
 * One invocation's metrics in the embedded metric format: `durationMs` (Milliseconds) and
 * `attempts` by (service, meshService); on failure `errors` (1) by (service, meshService, error);
 * on a cold start `ColdStart` (1) by (service, function_name), as Powertools Metrics names it.
 * The error directive stands apart so its dimension does not multiply the other metrics.
 *
 * @example
 * invocationMetrics({ service: 'orders', identity: 'default', attempts: 1, status: 200, durationMs: 12 }, { namespace: 'meshgate', serviceName: 'meshgate' }, 1764201600000)
 * // { _aws: { Timestamp: 1764201600000, CloudWatchMetrics: [{ Namespace: 'meshgate', Dimensions: [['service', 'meshService']],
 * //   Metrics: [{ Name: 'durationMs', Unit: 'Milliseconds' }, { Name: 'attempts', Unit: 'Count' }] }] },
 * //   service: 'meshgate', meshService: 'orders', durationMs: 12, attempts: 1 }
 */
export function invocationMetrics(record: InvocationRecord, settings: InvocationMetricsSettings, now: number): InvocationMetrics {
  const { namespace, serviceName, coldStartOf } = settings;
  const directive = directivesOf(namespace);
  const directives = [directive.invocation];
  const metrics: InvocationMetrics = {
    _aws: { Timestamp: now, CloudWatchMetrics: directives },
    service: serviceName,
    meshService: resolvedServiceOf(record),
    durationMs: record.durationMs ?? 0,
    attempts: record.attempts,
  };
  if (record.error) {
    directives.push(directive.error);
    metrics.error = record.error;
    metrics.errors = 1;
  }
  if (coldStartOf !== undefined) {
    directives.push(directive.coldStart);
    metrics.function_name = coldStartOf;
    metrics.ColdStart = 1;
  }
  return metrics;
}

/** The three directives of a namespace: built once per sandbox, not per invocation (they never change). */
const directivesByNamespace = new Map<string, Record<'invocation' | 'error' | 'coldStart', MetricDirective>>();

function directivesOf(namespace: string): Record<'invocation' | 'error' | 'coldStart', MetricDirective> {
  let directives = directivesByNamespace.get(namespace);
  if (!directives) {
    directives = {
      invocation: {
        Namespace: namespace,
        Dimensions: [['service', 'meshService']],
        Metrics: [
          { Name: 'durationMs', Unit: 'Milliseconds' },
          { Name: 'attempts', Unit: 'Count' },
        ],
      },
      error: { Namespace: namespace, Dimensions: [['service', 'meshService', 'error']], Metrics: [{ Name: 'errors', Unit: 'Count' }] },
      coldStart: { Namespace: namespace, Dimensions: [['service', 'function_name']], Metrics: [{ Name: 'ColdStart', Unit: 'Count' }] },
    };
    directivesByNamespace.set(namespace, directives);
  }
  return directives;
}

/** The catalog key once the service resolved (`identity` is set then), UNRESOLVED_SERVICE before. */
export function resolvedServiceOf(record: InvocationRecord): string {
  return record.identity && record.service ? record.service : UNRESOLVED_SERVICE;
}
