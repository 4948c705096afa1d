import { beforeEach, describe, expect, it } from 'vitest';
import type { LocalMesh } from '../mesh/startLocalMesh.ts';
import { useLocalMesh } from '../support/useLocalMesh.ts';
import { capturedLogRecords } from '../support/capturedOutput.ts';
import { Sandbox } from '../support/invokeHandler.ts';

let mesh: LocalMesh;
useLocalMesh((started) => (mesh = started));

beforeEach(() => {
  mesh.orders.clearFaults();
  delete process.env._X_AMZN_TRACE_ID;
});

interface EmfRecord {
  _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [key: string]: unknown;
}

/** The EMF blobs Powertools Metrics wrote to stdout during this test. */
function emfRecords(): EmfRecord[] {
  return capturedLogRecords().filter((record): record is EmfRecord => typeof record._aws === 'object');
}

function withMetric(name: string): EmfRecord[] {
  return emfRecords().filter((record) => record._aws.CloudWatchMetrics[0]!.Metrics.some((metric) => metric.Name === name));
}

const getOrder = { service: 'orders', path: '/v1/orders/{orderId}', pathParams: { orderId: 'A-17' } };
const context = {
  Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:fulfil:run-7' },
  State: { Name: 'GetOrder', RetryCount: 0 },
};

describe('Invocation telemetry (through the local mesh)', () => {
  describe('metrics', () => {
    it('emits latency and attempts in namespace meshgate with dimension meshService, flushed per invocation', async () => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      // Act
      await sandbox.invoke(getOrder);
      await sandbox.invoke({ ...getOrder, service: 'orders-basic' });
      // Assess
      const [first, second] = withMetric('latency');
      expect(withMetric('latency')).toHaveLength(2);
      const directive = first!._aws.CloudWatchMetrics[0]!;
      expect(directive.Namespace).toBe('meshgate');
      expect(directive.Dimensions).toEqual([['service', 'meshService']]);
      expect(directive.Metrics).toEqual(
        expect.arrayContaining([
          { Name: 'latency', Unit: 'Milliseconds' },
          { Name: 'attempts', Unit: 'Count' },
        ]),
      );
      expect(first).toMatchObject({ service: 'meshgate', meshService: 'orders', attempts: 1 });
      expect(first!.latency).toEqual(expect.any(Number));
      expect(second).toMatchObject({ meshService: 'orders-basic', attempts: 1 });
      expect(withMetric('errors')).toEqual([]);
    });

    it('captures a ColdStart metric once per sandbox', async () => {
      // Prepare: Lambda sets this for on-demand sandboxes; Powertools counts cold starts only then.
      process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
      try {
        const sandbox = await new Sandbox().coldStart();
        // Act
        await sandbox.invoke(getOrder);
        await sandbox.invoke(getOrder);
      } finally {
        delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
      }
      // Assess
      const coldStarts = withMetric('ColdStart');
      expect(coldStarts).toHaveLength(1);
      expect(coldStarts[0]).toMatchObject({ ColdStart: 1, function_name: 'HttpInvokerFunction' });
    });

    it('counts errors by name with dimensions meshService and error, and the attempts the retry took', async () => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      // A 401 forces one refresh and a second attempt, which meets the 503.
      mesh.orders.injectFault({ status: 401 });
      mesh.orders.injectFault({ status: 503 });
      // Act
      const error = await sandbox.invokeError(getOrder);
      // Assess
      expect(error.name).toBe('Mesh.Unavailable');
      const [errors] = withMetric('errors');
      expect(errors!._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'meshgate', Dimensions: [['service', 'meshService', 'error']] });
      expect(errors).toMatchObject({ meshService: 'orders', error: 'Mesh.Unavailable', errors: 1 });
      expect(withMetric('errors')).toHaveLength(1);
      expect(withMetric('latency')[0]).toMatchObject({ meshService: 'orders', attempts: 2 });
    });

    it('files invocations that never resolved a service under meshService "unresolved"', async () => {
      const sandbox = await new Sandbox().coldStart();
      await sandbox.invokeError({ service: 'no-such-service-4711', path: '/v1/x' });
      await sandbox.invokeError({ service: 'orders', path: '/v1/../etc' });
      const errors = withMetric('errors');
      expect(errors.map((record) => [record.meshService, record.error])).toEqual([
        ['unresolved', 'Mesh.UnknownService'],
        ['unresolved', 'Mesh.InvalidTask'],
      ]);
      expect(JSON.stringify(emfRecords())).not.toContain('no-such-service-4711');
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

    it('records the error name of a failed invocation', async () => {
      const sandbox = await new Sandbox().coldStart();
      mesh.orders.injectFault({ status: 404 });
      await sandbox.invokeError({ ...getOrder, context });
      const audit = capturedLogRecords().filter((record) => record.message === 'meshgate invocation');
      expect(audit.at(-1)).toMatchObject({ outcome: 'Mesh.ClientError', attempts: 1, meshService: 'orders' });
    });
  });
});
