import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInvocationRecord, type RecordLineFacts, type RecordLineSettings } from '../../../shared/invoke/formatInvocationRecord.ts';
import type { InvocationRecord } from '../../../shared/invoke/recordInvocation.ts';

/**
 * The hand-written serializer against the object form it replaces: for any record (strings with
 * quotes, backslashes, control characters, any Unicode), the line parses to exactly the object
 * JSON.stringify would have written, and stays one line.
 */
describe('Function: formatInvocationRecord', () => {
  // Any string: quotes, backslashes, CR/LF, U+2028, lone surrogates.
  const text = fc.string({ unit: 'binary', maxLength: 40 });
  const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

  const record: fc.Arbitrary<InvocationRecord> = fc.record(
    {
      requestId: optional(text),
      service: optional(text),
      method: optional(text),
      pathTemplate: optional(text),
      context: optional(
        fc.record({ executionId: optional(text), stateName: optional(text), mapIndex: optional(fc.nat()) }, { requiredKeys: [] }),
      ),
      identity: optional(text),
      credentialVersion: optional(text),
      attempts: fc.integer({ min: 0, max: 3 }),
      status: optional(fc.integer({ min: 100, max: 599 })),
      error: optional(fc.constantFrom('Mesh.Timeout', 'Mesh.InvalidTask', 'Error')),
      durationMs: optional(fc.nat()),
    },
    { requiredKeys: ['attempts'] },
  ) as fc.Arbitrary<InvocationRecord>;
  const facts: fc.Arbitrary<RecordLineFacts> = fc.record(
    {
      now: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      coldStart: fc.boolean(),
      coldStartMetricOf: optional(text),
      xrayTraceId: optional(text),
    },
    { requiredKeys: ['now', 'coldStart'] },
  ) as fc.Arbitrary<RecordLineFacts>;
  const settings: fc.Arbitrary<RecordLineSettings> = fc.record({ namespace: text, serviceName: text, metricsDisabled: fc.boolean() });

  it('parses to exactly what JSON.stringify of the object form gives, on one line', () => {
    fc.assert(
      fc.property(record, facts, settings, (r, f, s) => {
        const line = formatInvocationRecord(r, f, s);
        expect(line.endsWith('\n')).toBe(true);
        expect(line.slice(0, -1)).not.toMatch(/[\n\r]/);
        expect(JSON.parse(line)).toEqual(JSON.parse(JSON.stringify(objectForm(r, f, s))));
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes the documented line for a plain warm success', () => {
    const line = formatInvocationRecord(
      { requestId: 'req-1', service: 'orders', method: 'GET', pathTemplate: '/v1/orders/{id}', identity: 'default', credentialVersion: 'cert:1', attempts: 1, status: 200, durationMs: 4 },
      { now: Date.UTC(2026, 10, 27), coldStart: false },
      { namespace: 'meshgate', serviceName: 'meshgate', metricsDisabled: false },
    );
    expect(line).toBe(
      '{"message":"meshgate invocation","timestamp":"2026-11-27T00:00:00.000Z","service":"meshgate","cold_start":false,' +
        '"function_request_id":"req-1","meshService":"orders","method":"GET","pathTemplate":"/v1/orders/{id}","outcome":200,' +
        '"identity":"default","credentialVersion":"cert:1","durationMs":4,"attempts":1,' +
        '"_aws":{"Timestamp":1795737600000,"CloudWatchMetrics":[{"Namespace":"meshgate","Dimensions":[["service","meshService"]],' +
        '"Metrics":[{"Name":"durationMs","Unit":"Milliseconds"},{"Name":"attempts","Unit":"Count"}]}]}}\n',
    );
  });
});

/** The record as an object, written from the documented fields (CONTRACT.md Additions), independently of the serializer. */
function objectForm(record: InvocationRecord, facts: RecordLineFacts, settings: RecordLineSettings): Record<string, unknown> {
  const meshService = record.identity && record.service ? record.service : 'unresolved';
  const line: Record<string, unknown> = {
    message: 'meshgate invocation',
    timestamp: new Date(facts.now).toISOString(),
    service: settings.serviceName,
    cold_start: facts.coldStart,
    function_request_id: record.requestId,
    xray_trace_id: facts.xrayTraceId,
    executionId: record.context?.executionId,
    stateName: record.context?.stateName,
    mapIndex: record.context?.mapIndex,
    meshService,
    requestedService: record.identity ? undefined : record.service,
    method: record.method,
    pathTemplate: record.pathTemplate,
    outcome: record.error ?? record.status,
    identity: record.identity,
    credentialVersion: record.credentialVersion,
    durationMs: record.durationMs ?? 0,
    attempts: record.attempts,
  };
  if (settings.metricsDisabled) return line;
  const directives: unknown[] = [
    { Namespace: settings.namespace, Dimensions: [['service', 'meshService']], Metrics: [{ Name: 'durationMs', Unit: 'Milliseconds' }, { Name: 'attempts', Unit: 'Count' }] },
  ];
  if (record.error !== undefined) {
    line.error = record.error;
    line.errors = 1;
    directives.push({ Namespace: settings.namespace, Dimensions: [['service', 'meshService', 'error']], Metrics: [{ Name: 'errors', Unit: 'Count' }] });
  }
  if (facts.coldStartMetricOf !== undefined) {
    line.function_name = facts.coldStartMetricOf;
    line.ColdStart = 1;
    directives.push({ Namespace: settings.namespace, Dimensions: [['service', 'function_name']], Metrics: [{ Name: 'ColdStart', Unit: 'Count' }] });
  }
  line._aws = { Timestamp: facts.now, CloudWatchMetrics: directives };
  return line;
}
