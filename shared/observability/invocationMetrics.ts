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

/**
 * The `CloudWatchMetrics` of one invocation record (CloudWatch embedded metric format), as JSON:
 * `durationMs` (Milliseconds) and `attempts` by (service, meshService); on failure also `errors`
 * (1) by (service, meshService, error); on a cold start also `ColdStart` (1) by (service,
 * function_name), as Powertools Metrics names it. The error directive stands apart so its
 * dimension does not multiply the other metrics. The record carries the members these name
 * (formatInvocationRecord). They never change within a sandbox, so each of the four
 * combinations is serialized once.
 *
 * @example
 * metricDirectivesJson('meshgate', false, false)
 * // '[{"Namespace":"meshgate","Dimensions":[["service","meshService"]],"Metrics":[{"Name":"durationMs","Unit":"Milliseconds"},{"Name":"attempts","Unit":"Count"}]}]'
 */
export function metricDirectivesJson(namespace: string, failed: boolean, coldStart: boolean): string {
  let combinations = directivesJson.get(namespace);
  if (!combinations) {
    combinations = [false, true].flatMap((withError) => [false, true].map((withColdStart) => JSON.stringify(directives(namespace, withError, withColdStart))));
    directivesJson.set(namespace, combinations);
  }
  return combinations[(failed ? 2 : 0) + (coldStart ? 1 : 0)]!;
}

/** Per namespace: the serialized directives, indexed by (failed ? 2 : 0) + (cold start ? 1 : 0). */
const directivesJson = new Map<string, string[]>();

function directives(namespace: string, failed: boolean, coldStart: boolean): MetricDirective[] {
  const list: MetricDirective[] = [
    {
      Namespace: namespace,
      Dimensions: [['service', 'meshService']],
      Metrics: [
        { Name: 'durationMs', Unit: 'Milliseconds' },
        { Name: 'attempts', Unit: 'Count' },
      ],
    },
  ];
  if (failed) list.push({ Namespace: namespace, Dimensions: [['service', 'meshService', 'error']], Metrics: [{ Name: 'errors', Unit: 'Count' }] });
  if (coldStart) list.push({ Namespace: namespace, Dimensions: [['service', 'function_name']], Metrics: [{ Name: 'ColdStart', Unit: 'Count' }] });
  return list;
}

/** The catalog key once the service resolved (`identity` is set then), UNRESOLVED_SERVICE before. */
export function resolvedServiceOf(record: InvocationRecord): string {
  return record.identity && record.service ? record.service : UNRESOLVED_SERVICE;
}
