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

/** The metric members of an invocation record: the values (and dimension values) the `_aws` directives name. */
export interface InvocationMetricMembers {
  service: string;
  meshService: string;
  durationMs: number;
  attempts: number;
  error?: string;
  errors?: 1;
  function_name?: string;
  ColdStart?: 1;
}

/** An invocation's EMF members and its `_aws` metadata, the latter already serialized. */
export interface InvocationMetrics {
  members: InvocationMetricMembers;
  /** The JSON of the record's `_aws` member: `{"Timestamp":…,"CloudWatchMetrics":[…]}`. */
  awsJson: string;
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
 * The directives never change within a sandbox, so their JSON is built once per combination and
 * spliced in: serializing them was half the cost of writing the record (npm run bench, issue #7).
 *
 * @example
 * invocationMetrics({ service: 'orders', identity: 'default', attempts: 1, status: 200, durationMs: 12 }, { namespace: 'meshgate', serviceName: 'meshgate' }, 1764201600000)
 * // { members: { service: 'meshgate', meshService: 'orders', durationMs: 12, attempts: 1 },
 * //   awsJson: '{"Timestamp":1764201600000,"CloudWatchMetrics":[{"Namespace":"meshgate","Dimensions":[["service","meshService"]],
 * //     "Metrics":[{"Name":"durationMs","Unit":"Milliseconds"},{"Name":"attempts","Unit":"Count"}]}]}' }
 */
export function invocationMetrics(record: InvocationRecord, settings: InvocationMetricsSettings, now: number): InvocationMetrics {
  const { namespace, serviceName, coldStartOf } = settings;
  const members: InvocationMetricMembers = {
    service: serviceName,
    meshService: resolvedServiceOf(record),
    durationMs: record.durationMs ?? 0,
    attempts: record.attempts,
  };
  if (record.error) {
    members.error = record.error;
    members.errors = 1;
  }
  if (coldStartOf !== undefined) {
    members.function_name = coldStartOf;
    members.ColdStart = 1;
  }
  const directives = directivesJsonOf(namespace, record.error !== undefined, coldStartOf !== undefined);
  return { members, awsJson: `{"Timestamp":${now},"CloudWatchMetrics":${directives}}` };
}

/** The serialized directives of each (namespace, failed, cold start) combination: at most four per sandbox. */
const directivesJson = new Map<string, string>();

function directivesJsonOf(namespace: string, failed: boolean, coldStart: boolean): string {
  const key = `${failed ? 'e' : '-'}${coldStart ? 'c' : '-'}${namespace}`;
  let json = directivesJson.get(key);
  if (json === undefined) {
    const directives: MetricDirective[] = [
      {
        Namespace: namespace,
        Dimensions: [['service', 'meshService']],
        Metrics: [
          { Name: 'durationMs', Unit: 'Milliseconds' },
          { Name: 'attempts', Unit: 'Count' },
        ],
      },
    ];
    if (failed) directives.push({ Namespace: namespace, Dimensions: [['service', 'meshService', 'error']], Metrics: [{ Name: 'errors', Unit: 'Count' }] });
    if (coldStart) directives.push({ Namespace: namespace, Dimensions: [['service', 'function_name']], Metrics: [{ Name: 'ColdStart', Unit: 'Count' }] });
    json = JSON.stringify(directives);
    directivesJson.set(key, json);
  }
  return json;
}

/** The catalog key once the service resolved (`identity` is set then), UNRESOLVED_SERVICE before. */
export function resolvedServiceOf(record: InvocationRecord): string {
  return record.identity && record.service ? record.service : UNRESOLVED_SERVICE;
}
