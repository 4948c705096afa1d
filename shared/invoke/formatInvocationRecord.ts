import { metricDirectivesJson, resolvedServiceOf } from '../observability/invocationMetrics.ts';
import { isoTimestamp } from './isoTimestamp.ts';
import type { InvocationRecord } from './recordInvocation.ts';

/** What the line says beyond the record itself: when, and about the sandbox. */
export interface RecordLineFacts {
  /** Milliseconds since the epoch: the line's timestamp and the metrics' Timestamp. */
  now: number;
  /** The sandbox's first invocation (Powertools Logger's `cold_start`). */
  coldStart: boolean;
  /** The function name when this invocation counts as a cold start for the ColdStart metric. */
  coldStartMetricOf?: string;
  /** The Root of the X-Ray trace header, when there is one. */
  xrayTraceId?: string;
}

/** The sandbox's settings (from Powertools' environment variables). */
export interface RecordLineSettings {
  namespace: string;
  serviceName: string;
  metricsDisabled: boolean;
}

const json = JSON.stringify;

/**
 * The invocation record as one JSON line (with its newline): the audit fields, then the EMF
 * members and `_aws` unless metrics are disabled. Written out member by member rather than built
 * as an object for JSON.stringify: the record is serialized on every invocation, with the CPU
 * caches cold from the network wait, and the generic serializer over a fresh object cost about
 * 30 µs more there (npm run bench, issue #7). Every string goes through JSON.stringify, every
 * number is an integer the invoker computed, and an absent field is left out as JSON.stringify
 * would; a property test checks the line against the object form.
 *
 * @example
 * formatInvocationRecord({ service: 'orders', identity: 'default', attempts: 1, status: 200, durationMs: 12 },
 *   { now: 1764201600000, coldStart: false }, { namespace: 'meshgate', serviceName: 'meshgate', metricsDisabled: false })
 * // '{"message":"meshgate invocation","timestamp":"2025-11-27T00:00:00.000Z","service":"meshgate",…,"_aws":{…}}\n'
 */
export function formatInvocationRecord(record: InvocationRecord, facts: RecordLineFacts, settings: RecordLineSettings): string {
  const context = record.context;
  // `identity` is set once the service resolved (resolvedServiceOf reads it the same way).
  const resolved = Boolean(record.identity);
  const outcome = record.error ?? record.status;
  let line =
    `{"message":"meshgate invocation","timestamp":"${isoTimestamp(facts.now)}","service":${json(settings.serviceName)}` +
    `,"cold_start":${facts.coldStart}` +
    stringMember('function_request_id', record.requestId) +
    stringMember('xray_trace_id', facts.xrayTraceId) +
    stringMember('executionId', context?.executionId) +
    stringMember('stateName', context?.stateName) +
    (context?.mapIndex === undefined ? '' : `,"mapIndex":${json(context.mapIndex)}`) +
    `,"meshService":${json(resolvedServiceOf(record))}` +
    // What the task asked for when it resolved to nothing: audit only, never a metric dimension.
    stringMember('requestedService', resolved ? undefined : record.service) +
    stringMember('method', record.method) +
    stringMember('pathTemplate', record.pathTemplate) +
    (outcome === undefined ? '' : `,"outcome":${json(outcome)}`) +
    stringMember('identity', record.identity) +
    stringMember('credentialVersion', record.credentialVersion) +
    `,"durationMs":${record.durationMs ?? 0},"attempts":${record.attempts}`;
  if (!settings.metricsDisabled) {
    // service, meshService, durationMs and attempts above are the EMF members of the main directive.
    const failed = record.error !== undefined;
    const coldStartOf = facts.coldStartMetricOf;
    if (failed) line += `,"error":${json(record.error)},"errors":1`;
    if (coldStartOf !== undefined) line += `,"function_name":${json(coldStartOf)},"ColdStart":1`;
    line += `,"_aws":{"Timestamp":${facts.now},"CloudWatchMetrics":${metricDirectivesJson(settings.namespace, failed, coldStartOf !== undefined)}}`;
  }
  return `${line}}\n`;
}

/** `,"name":"value"`, or nothing when the value is absent. */
function stringMember(name: string, value: string | undefined): string {
  return value === undefined ? '' : `,"${name}":${json(value)}`;
}
