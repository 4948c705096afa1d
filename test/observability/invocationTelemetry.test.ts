import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalMesh } from '../mesh/startLocalMesh.ts';
import { useLocalMesh } from '../support/useLocalMesh.ts';
import { capturedLogRecords } from '../support/capturedOutput.ts';
import { emfProblems } from '../support/emfDocument.ts';
import { Sandbox } from '../support/invokeHandler.ts';

let mesh: LocalMesh;
useLocalMesh((started) => (mesh = started));

beforeEach(() => {
  mesh.orders.clearFaults();
  delete process.env._X_AMZN_TRACE_ID;
});

// Environment a test sets for its sandbox (vi.stubEnv) is put back after it.
afterEach(() => {
  vi.unstubAllEnvs();
});

interface EmfRecord {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [key: string]: unknown;
}

/** The invocation records written during this test: each one the audit line and an EMF document. */
function invocationRecords(): EmfRecord[] {
  return capturedLogRecords().filter((record): record is EmfRecord => record.message === 'meshgate invocation');
}

/** Records with a directive for `name`, and that directive. */
function withMetric(name: string): Array<{ record: EmfRecord; directive: EmfRecord['_aws']['CloudWatchMetrics'][number] }> {
  return invocationRecords().flatMap((record) =>
    record._aws.CloudWatchMetrics.filter((directive) => directive.Metrics.some((metric) => metric.Name === name)).map((directive) => ({ record, directive })),
  );
}

const getOrder = { service: 'orders', path: '/v1/orders/{orderId}', pathParams: { orderId: 'A-17' } };
const context = {
  Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:fulfil:run-7' },
  State: { Name: 'GetOrder', RetryCount: 0 },
};

describe('Invocation telemetry (through the local mesh)', () => {
  describe('metrics', () => {
    it('writes one invocation record per invocation, a valid EMF document with durationMs and attempts by service and meshService', async () => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      // Act
      await sandbox.invoke(getOrder);
      await sandbox.invoke({ ...getOrder, service: 'orders-basic' });
      // Assess
      const records = invocationRecords();
      expect(records).toHaveLength(2);
      for (const record of records) expect(emfProblems(record)).toEqual([]);
      const [first, second] = withMetric('durationMs');
      expect(first!.directive).toEqual({
        Namespace: 'meshgate',
        Dimensions: [['service', 'meshService']],
        Metrics: [
          { Name: 'durationMs', Unit: 'Milliseconds' },
          { Name: 'attempts', Unit: 'Count' },
        ],
      });
      expect(first!.record).toMatchObject({ service: 'meshgate', meshService: 'orders', attempts: 1, durationMs: expect.any(Number) });
      expect(second!.record).toMatchObject({ meshService: 'orders-basic', attempts: 1 });
      expect(Math.abs(first!.record._aws.Timestamp - Date.now())).toBeLessThan(60_000);
      expect(withMetric('errors')).toEqual([]);
    });

    it('keeps the record, and so the metrics, whatever the log level', async () => {
      // Prepare: Lambda's log-level filter and Powertools both drop lines below the level by their `level` field.
      vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'ERROR');
      const sandbox = await new Sandbox().coldStart();
      // Act
      await sandbox.invoke(getOrder);
      // Assess
      const [record] = invocationRecords();
      expect(record).toBeDefined();
      expect(record).not.toHaveProperty('level');
    });

    it('counts a ColdStart once per on-demand sandbox, by service and function_name', async () => {
      // Prepare: Lambda sets these; provisioned-concurrency sandboxes do not count as cold starts.
      vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
      vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'HttpInvokerFunction');
      const sandbox = await new Sandbox().coldStart();
      // Act
      await sandbox.invoke(getOrder);
      await sandbox.invoke(getOrder);
      // Assess
      const coldStarts = withMetric('ColdStart');
      expect(coldStarts).toHaveLength(1);
      expect(coldStarts[0]!.directive.Dimensions).toEqual([['service', 'function_name']]);
      expect(coldStarts[0]!.record).toMatchObject({ ColdStart: 1, function_name: 'HttpInvokerFunction', cold_start: true });
      expect(invocationRecords().map((record) => record.cold_start)).toEqual([true, false]);
      for (const record of invocationRecords()) expect(emfProblems(record)).toEqual([]);
    });

    it('counts errors by name with dimensions service, meshService and error, and the attempts the retry took', async () => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      // A 401 forces one refresh and a second attempt, which meets the 503.
      mesh.orders.injectFault({ status: 401 });
      mesh.orders.injectFault({ status: 503 });
      // Act
      const error = await sandbox.invokeError(getOrder);
      // Assess
      expect(error.name).toBe('Mesh.Unavailable');
      const errors = withMetric('errors');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.directive).toMatchObject({ Namespace: 'meshgate', Dimensions: [['service', 'meshService', 'error']] });
      expect(errors[0]!.record).toMatchObject({ meshService: 'orders', error: 'Mesh.Unavailable', errors: 1, attempts: 2, outcome: 'Mesh.Unavailable' });
      expect(emfProblems(errors[0]!.record)).toEqual([]);
    });

    it('files invocations that never resolved a service under meshService "unresolved", the requested name kept out of every dimension', async () => {
      const sandbox = await new Sandbox().coldStart();
      await sandbox.invokeError({ service: 'no-such-service-4711', path: '/v1/x' });
      await sandbox.invokeError({ service: 'orders', path: '/v1/../etc' });
      const records = invocationRecords();
      expect(records.map((record) => [record.meshService, record.error])).toEqual([
        ['unresolved', 'Mesh.UnknownService'],
        ['unresolved', 'Mesh.InvalidTask'],
      ]);
      const dimensionValues = records.flatMap((record) => record._aws.CloudWatchMetrics.flatMap((directive) => directive.Dimensions.flat().map((key) => record[key])));
      expect(dimensionValues).not.toContain('no-such-service-4711');
      expect(records[0]!.requestedService).toBe('no-such-service-4711');
    });

    it('writes the record without metrics when POWERTOOLS_METRICS_DISABLED is true', async () => {
      vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
      const sandbox = await new Sandbox().coldStart();
      await sandbox.invoke(getOrder);
      const [record] = invocationRecords();
      expect(record).toMatchObject({ meshService: 'orders', durationMs: expect.any(Number), attempts: 1 });
      expect(record).not.toHaveProperty('_aws');
    });
  });

  describe('tracing headers', () => {
    it('sends B3 headers derived from the X-Ray trace header, consistent with traceparent', async () => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
      // Act
      await sandbox.invoke(getOrder);
      // Assess
      const headers = mesh.ingress.requests.at(-1)!.headers;
      expect(headers).toMatchObject({
        traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
        'x-b3-traceid': '5759e988bd862e3fe1be46a994272793',
        'x-b3-spanid': '53995c3f42cd8ad8',
        'x-b3-sampled': '1',
      });
    });

    it('sends random but consistent ids when there is no X-Ray header', async () => {
      const sandbox = await new Sandbox().coldStart();
      await sandbox.invoke(getOrder);
      const headers = mesh.ingress.requests.at(-1)!.headers;
      expect(headers.traceparent).toBe(`00-${headers['x-b3-traceid']}-${headers['x-b3-spanid']}-00`);
      expect(headers['x-b3-sampled']).toBe('0');
    });
  });

  describe('audit line', () => {
    it('records execution, state, service, method, path template, status, attempts, duration, identity and credential version', async () => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      // Act
      await sandbox.invoke({ ...getOrder, context });
      // Assess
      const audit = capturedLogRecords().filter((record) => record.message === 'meshgate invocation');
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        executionId: context.Execution.Id,
        stateName: 'GetOrder',
        meshService: 'orders',
        method: 'GET',
        pathTemplate: '/v1/orders/{orderId}',
        outcome: 200,
        attempts: 1,
        durationMs: expect.any(Number),
        identity: 'default',
        credentialVersion: expect.stringMatching(/^cert:\d+\.key:\d+\.secret:\d+\.ca:\d+$/),
      });
      expect(JSON.stringify(audit)).not.toContain('A-17');
    });

    it('records the error name of a failed invocation, joined to the failure log line by the Lambda request id', async () => {
      const sandbox = await new Sandbox().coldStart();
      mesh.orders.injectFault({ status: 404 });
      await sandbox.invokeError({ ...getOrder, context });
      const audit = capturedLogRecords().filter((record) => record.message === 'meshgate invocation');
      expect(audit.at(-1)).toMatchObject({ outcome: 'Mesh.ClientError', attempts: 1, meshService: 'orders' });
      // The failure line comes from Powertools Logger, with the Lambda context the middleware added.
      const failure = capturedLogRecords().find((record) => record.message === 'meshgate invocation failed');
      expect(failure).toMatchObject({ level: 'ERROR', function_name: 'HttpInvokerFunction', function_request_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(audit.at(-1)!.function_request_id).toBe(failure!.function_request_id);
    });

    it('gives a log line the context of the invocation that wrote it, not of an earlier silent one', async () => {
      // The context reaches Powertools only when a line is written: two silent invocations, then a failing one.
      vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
      const sandbox = await new Sandbox().coldStart();
      await sandbox.invoke(getOrder);
      await sandbox.invoke(getOrder);
      mesh.orders.injectFault({ status: 404 });
      await sandbox.invokeError(getOrder);
      const audit = capturedLogRecords().filter((record) => record.message === 'meshgate invocation');
      const failures = capturedLogRecords().filter((record) => record.message === 'meshgate invocation failed');
      expect(audit).toHaveLength(3);
      expect(failures).toHaveLength(1);
      expect(new Set(audit.map((record) => record.function_request_id)).size).toBe(3);
      expect(failures[0]).toMatchObject({ function_request_id: audit[2]!.function_request_id, cold_start: false });
    });

    it('gives a failure line the context of its own invocation when another one started meanwhile (concurrent invocations)', async () => {
      // Prepare: a warm sandbox; one invocation will fail, one started after it is still waiting.
      const sandbox = await new Sandbox().coldStart();
      await sandbox.invoke(getOrder);
      mesh.orders.injectFault({ status: 404 }, { pathPrefix: '/v1/orders/GONE' });
      mesh.orders.injectFault({ delayMs: 200 }, { pathPrefix: '/v1/orders/SLOW' });
      // Act: as a runtime running invocations concurrently (Lambda Managed Instances) calls the handler.
      const failing = sandbox.invokeError({ ...getOrder, pathParams: { orderId: 'GONE' } });
      const overlapping = sandbox.invoke({ ...getOrder, pathParams: { orderId: 'SLOW' } });
      const [error] = await Promise.all([failing, overlapping]);
      // Assess
      expect(error.name).toBe('Mesh.ClientError');
      const audit = capturedLogRecords().filter((record) => record.message === 'meshgate invocation');
      const failed = audit.find((record) => record.outcome === 'Mesh.ClientError')!;
      const succeeded = audit.findLast((record) => record.outcome === 200)!;
      expect(failed.function_request_id).not.toBe(succeeded.function_request_id);
      const failures = capturedLogRecords().filter((record) => record.message === 'meshgate invocation failed');
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ function_request_id: failed.function_request_id, cold_start: false });
    });

    it("keeps cold_start on the failure line of a sandbox's first invocation", async () => {
      vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
      const sandbox = await new Sandbox().coldStart();
      mesh.orders.injectFault({ status: 404 });
      await sandbox.invokeError(getOrder);
      const failures = capturedLogRecords().filter((record) => record.message === 'meshgate invocation failed');
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ cold_start: true });
    });

    it('carries the fields Powertools Logger gives every line: timestamp, service, X-Ray trace id', async () => {
      process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
      const sandbox = await new Sandbox().coldStart();
      await sandbox.invoke(getOrder);
      const [audit] = capturedLogRecords().filter((record) => record.message === 'meshgate invocation');
      expect(audit).toMatchObject({ service: 'meshgate', xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793' });
      expect(new Date(String(audit!.timestamp)).toISOString()).toBe(audit!.timestamp);
    });
  });
});
