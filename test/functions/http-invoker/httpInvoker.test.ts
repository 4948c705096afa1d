import { beforeEach, describe, expect, it } from 'vitest';
import type { LocalMesh } from '../../mesh/startLocalMesh.ts';
import { useLocalMesh } from '../../support/useLocalMesh.ts';
import { registerSecrets } from '../../support/findSecrets.ts';
import { errorJson, Sandbox } from '../../support/invokeHandler.ts';
import { capturedLogRecords } from '../../support/capturedOutput.ts';

let mesh: LocalMesh;
useLocalMesh((started) => (mesh = started));

beforeEach(() => {
  mesh.orders.clearFaults();
});

const getOrder = { service: 'orders', path: '/v1/orders/{orderId}', pathParams: { orderId: 'A-17' } };
const context = {
  Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:fulfil:run-1' },
  State: { Name: 'ConfirmOrder', RetryCount: 0 },
};

describe('Function: HttpInvokerFunction (through the local mesh)', () => {
  describe('success', () => {
    it('returns normalized output for a GET and sends SNI, authority, token and tracing headers', async () => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      const seen = mesh.ingress.requests.length;
      // Act
      const output = await sandbox.invoke(getOrder);
      // Assess
      expect(output).toMatchObject({ ok: true, status: 200, body: { id: 'A-17' }, meta: { service: 'orders', attempts: 1 } });
      expect(output.headers['content-type']).toMatch(/^application\/json/);
      expect(output.meta.idempotencyKey).toBeUndefined();
      const request = mesh.ingress.requests.at(-1)!;
      expect(mesh.ingress.requests.length).toBe(seen + 1);
      expect(request.authority).toBe('orders.mesh.local');
      expect(request.path).toBe('/v1/orders/A-17');
      expect(request.claims.aud).toContain('https://orders.mesh.local');
      expect(request.headers['x-request-id']).toBe(output.meta.requestId);
      expect(request.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
      expect(request.headers['user-agent']).toMatch(/^meshgate\/\d+\.\d+\.\d+/);
      expect(request.headers['idempotency-key']).toBeUndefined();
    });

    it('derives traceparent from the X-Ray trace header', async () => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
      // Act
      try {
        await sandbox.invoke(getOrder);
      } finally {
        delete process.env._X_AMZN_TRACE_ID;
      }
      // Assess
      expect(mesh.ingress.requests.at(-1)!.headers.traceparent).toBe('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01');
    });

    it('takes the X-Ray trace header from the context when the runtime passes it there, over _X_AMZN_TRACE_ID', async () => {
      // Prepare: several invocations per sandbox (AWS_LAMBDA_MAX_CONCURRENCY): the runtime passes
      // each one's header on its context and leaves the variable alone (here: another invocation's).
      const sandbox = await new Sandbox().coldStart();
      process.env._X_AMZN_TRACE_ID = 'Root=1-6a000000-000000000000000000000001;Parent=0000000000000001;Sampled=0';
      const xRayTraceId = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
      // Act
      try {
        await sandbox.invoke(getOrder, 30_000, { xRayTraceId });
      } finally {
        delete process.env._X_AMZN_TRACE_ID;
      }
      // Assess
      const headers = mesh.ingress.requests.at(-1)!.headers;
      expect(headers.traceparent).toBe('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01');
      expect(headers['x-b3-traceid']).toBe('5759e988bd862e3fe1be46a994272793');
      const audit = capturedLogRecords().filter((r) => r.message === 'meshgate invocation');
      expect(audit.at(-1)!.xray_trace_id).toBe('1-5759e988-bd862e3fe1be46a994272793');
    });

    it('creates an order with a JSON body, an idempotency key stable across ASL retries, and allow-listed headers', async () => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      const task = { service: 'orders', method: 'POST', path: '/v1/orders', body: { sku: 'B-2', quantity: 3 }, context };
      const effectsBefore = mesh.orders.effects;
      // Act
      const first = await sandbox.invoke(task);
      const retried = await sandbox.invoke({ ...task, context: { ...context, State: { ...context.State, RetryCount: 1 } } });
      // Assess
      expect(first).toMatchObject({ ok: true, status: 201, body: { sku: 'B-2', quantity: 3 } });
      expect(first.headers.location).toMatch(/^\/v1\/orders\//);
      expect(first.headers.etag).toBeDefined();
      expect(first.meta.idempotencyKey).toMatch(/^mg1-/);
      expect(retried.meta.idempotencyKey).toBe(first.meta.idempotencyKey);
      expect(mesh.orders.effects).toBe(effectsBefore + 1);
      const received = mesh.orders.requests.at(-1)!;
      expect(received.headers['idempotency-key']).toBe(first.meta.idempotencyKey);
      expect(received.headers['content-type']).toBe('application/json');
      expect(received.headers.authorization).toBeUndefined();
    });

    it('sends query arrays as repeated keys and percent-encodes path parameters', async () => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      // Act
      const output = await sandbox.invoke({
        service: 'orders',
        path: '/v1/orders/echo/{name}',
        pathParams: { name: 'a b/c' },
        query: { expand: ['items', 'customer'], dryRun: false },
        headers: { 'x-tenant': 'acme' },
      });
      // Assess
      expect(output.body.path).toBe('/v1/orders/echo/a%20b%2Fc?expand=items&expand=customer&dryRun=false');
      expect(output.body.headers['x-tenant']).toBe('acme');
    });

    it('applies select to the JSON body', async () => {
      const sandbox = await new Sandbox().coldStart();
      const output = await sandbox.invoke({ ...getOrder, select: '/id' });
      expect(output.body).toBe('A-17');
    });

    it.each([
      ['orders', 'private_key_jwt', 'meshgate-jwt'],
      ['orders-basic', 'client_secret_basic', 'meshgate-basic'],
      ['orders-post', 'client_secret_post', 'meshgate-post'],
      ['orders-selfsigned', 'self_signed', 'meshgate-invoker'],
    ])('authenticates service %s with %s', async (service, _mode, clientId) => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      // Act
      const output = await sandbox.invoke({ service, path: '/v1/orders/7' });
      // Assess
      expect(output.status).toBe(200);
      const claims = mesh.ingress.requests.at(-1)!.claims;
      expect(claims.aud).toContain(`https://${service}.mesh.local`);
      expect([claims.client_id, claims.sub]).toContain(clientId);
    });

    it('reuses connections, tokens and credentials on a warm sandbox', async () => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      await sandbox.invoke(getOrder);
      const handshakes = mesh.ingress.handshakes;
      const tokenRequests = mesh.idp.tokenRequests;
      // Act
      for (let i = 0; i < 5; i++) await sandbox.invoke(getOrder);
      // Assess
      expect(mesh.ingress.handshakes).toBe(handshakes);
      expect(mesh.idp.tokenRequests).toBe(tokenRequests);
    });

    it('writes one audit line per invocation without values', async () => {
      const sandbox = await new Sandbox().coldStart();
      await sandbox.invoke({ ...getOrder, context });
      const audit = capturedLogRecords().filter((r) => r.message === 'meshgate invocation');
      expect(audit.at(-1)).toMatchObject({
        meshService: 'orders', method: 'GET', pathTemplate: '/v1/orders/{orderId}', outcome: 200, attempts: 1,
        identity: 'default', stateName: 'ConfirmOrder',
      });
      expect(JSON.stringify(audit)).not.toContain('A-17');
    });
  });

  describe('invalid tasks', () => {
    it.each([
      ['an unknown field', { ...getOrder, verb: 'GET' }],
      ['an authorization header', { ...getOrder, headers: { authorization: 'Bearer x' } }],
      ['path traversal', { service: 'orders', path: '/v1/orders/%2e%2e/admin' }],
      ['a traversing path parameter', { ...getOrder, pathParams: { orderId: '..' } }],
      ['a body on GET', { ...getOrder, body: { a: 1 } }],
      ['a URL as service', { service: 'https://evil.example.com', path: '/' }],
    ])('refuses %s with Mesh.InvalidTask and sends nothing', async (_what, task) => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      const requests = mesh.orders.requests.length;
      // Act
      const error = await sandbox.invokeError(task);
      // Assess
      expect(error.name).toBe('Mesh.InvalidTask');
      expect(errorJson(error).message).toEqual(expect.any(String));
      expect(mesh.orders.requests.length).toBe(requests);
    });

    it.each([
      ['a service not in the catalog', { service: 'billing', path: '/v1/orders' }],
      ['a method the service does not allow', { service: 'orders-basic', method: 'PATCH', path: '/v1/payments' }],
      ['a path outside the prefixes', { service: 'orders', path: '/v1/ordersX' }],
    ])('refuses %s with Mesh.UnknownService', async (_what, task) => {
      const sandbox = await new Sandbox().coldStart();
      const error = await sandbox.invokeError(task);
      expect(error.name).toBe('Mesh.UnknownService');
    });
  });

  describe('service answers', () => {
    it.each([
      [404, 'Mesh.ClientError'],
      [409, 'Mesh.ClientError'],
      [302, 'Mesh.ClientError'],
      [408, 'Mesh.Timeout'],
      [429, 'Mesh.Throttled'],
      [500, 'Mesh.ServerError'],
      [501, 'Mesh.ServerError'],
      [502, 'Mesh.Unavailable'],
      [503, 'Mesh.Unavailable'],
      [504, 'Mesh.Unavailable'],
    ])('maps status %i to %s with status and detail in the error JSON', async (status, name) => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      mesh.orders.injectFault({ status, body: `{"error":"fault ${status}"}`, headers: { 'content-type': 'application/json' } });
      // Act
      const error = await sandbox.invokeError(getOrder);
      // Assess
      expect(error.name).toBe(name);
      expect(errorJson(error)).toMatchObject({ service: 'orders', status, detail: `{"error":"fault ${status}"}` });
    });

    it('carries Retry-After of a 429 as retryAfterSeconds', async () => {
      const sandbox = await new Sandbox().coldStart();
      mesh.orders.injectFault({ status: 429, headers: { 'retry-after': '7' } });
      const error = await sandbox.invokeError(getOrder);
      expect(error.name).toBe('Mesh.Throttled');
      expect(errorJson(error).retryAfterSeconds).toBe(7);
    });

    it('returns a 409 as output with ok false when onHttpError is return', async () => {
      const sandbox = await new Sandbox().coldStart();
      mesh.orders.injectFault({ status: 409, body: '{"error":"conflict"}', headers: { 'content-type': 'application/json' } });
      const output = await sandbox.invoke({ ...getOrder, onHttpError: 'return' });
      expect(output).toMatchObject({ ok: false, status: 409, body: { error: 'conflict' } });
    });

    it('still throws a 503 when onHttpError is return', async () => {
      const sandbox = await new Sandbox().coldStart();
      mesh.orders.injectFault({ status: 503 });
      const error = await sandbox.invokeError({ ...getOrder, onHttpError: 'return' });
      expect(error.name).toBe('Mesh.Unavailable');
    });

    it('fails a 2xx that successStatus does not list as Mesh.BadResponse', async () => {
      const sandbox = await new Sandbox().coldStart();
      const error = await sandbox.invokeError({ ...getOrder, successStatus: [201] });
      expect(error.name).toBe('Mesh.BadResponse');
      expect(errorJson(error).status).toBe(200);
    });

    it('fails malformed JSON as Mesh.BadResponse', async () => {
      const sandbox = await new Sandbox().coldStart();
      mesh.orders.injectFault({ rawBody: '{"id": ', contentType: 'application/json' });
      const error = await sandbox.invokeError(getOrder);
      expect(error.name).toBe('Mesh.BadResponse');
    });

    it('fails a select that finds nothing as Mesh.BadResponse', async () => {
      const sandbox = await new Sandbox().coldStart();
      const error = await sandbox.invokeError({ ...getOrder, select: '/missing' });
      expect(error.name).toBe('Mesh.BadResponse');
    });

    it('fails a body over maxResponseBytes as Mesh.ResponseTooLarge', async () => {
      const sandbox = await new Sandbox().coldStart();
      const error = await sandbox.invokeError({ service: 'orders', path: '/v1/orders/big', query: { bytes: 2 * 1024 * 1024 } });
      expect(error.name).toBe('Mesh.ResponseTooLarge');
      expect(errorJson(error)).toMatchObject({ service: 'orders', status: 200 });
    });

    it('fails an output over the 240 KiB cap as Mesh.ResponseTooLarge, and select keeps it under', async () => {
      const sandbox = await new Sandbox().coldStart();
      const task = { service: 'orders', path: '/v1/orders/big', query: { bytes: 300 * 1024 } };
      const error = await sandbox.invokeError(task);
      expect(error.name).toBe('Mesh.ResponseTooLarge');
    });

    it('answers Mesh.Timeout when the service is slower than timeoutMs', async () => {
      const sandbox = await new Sandbox().coldStart();
      mesh.orders.injectFault({ delayMs: 2_000 });
      const started = Date.now();
      const error = await sandbox.invokeError({ ...getOrder, timeoutMs: 300 });
      expect(error.name).toBe('Mesh.Timeout');
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    it('answers Mesh.Timeout before the Lambda deadline', async () => {
      const sandbox = await new Sandbox().coldStart();
      await sandbox.invoke(getOrder); // warm: credentials and token cached
      mesh.orders.injectFault({ delayMs: 5_000 });
      const started = Date.now();
      const error = await sandbox.invokeError(getOrder, 1_500);
      expect(error.name).toBe('Mesh.Timeout');
      expect(Date.now() - started).toBeLessThan(1_500);
    });
  });

  describe('authentication and authorization', () => {
    it('maps the ingress RBAC 403 to Mesh.Unauthorized after one forced refresh', async () => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      const tokenRequests = mesh.idp.tokenRequests;
      // Act
      const error = await sandbox.invokeError({ service: 'orders', path: '/v1/admin/users' });
      // Assess
      expect(error.name).toBe('Mesh.Unauthorized');
      expect(errorJson(error)).toMatchObject({ status: 403, detail: 'RBAC: access denied' });
      expect(mesh.idp.tokenRequests).toBe(tokenRequests + 2);
    });

    it('picks up a rotated client certificate after the ingress revokes the old one', async () => {
      // Prepare
      const sandbox = await new Sandbox().coldStart();
      await sandbox.invoke(getOrder);
      const oldSerial = mesh.ingress.requests.at(-1)!.clientCertSerial;
      const next = await mesh.pki.issueClientCertificate('meshgate-rotated');
      await mesh.ssm.put('/meshgate/local/client/cert', next.certPem);
      await mesh.ssm.put('/meshgate/local/client/key', next.keyPem, { secure: true });
      registerSecrets([next.keyPem]);
      await mesh.ingress.revokeClientCertificate(oldSerial);
      // Act
      const output = await sandbox.invoke(getOrder);
      // Assess
      expect(output.status).toBe(200);
      expect(output.meta.attempts).toBe(2);
      expect(mesh.ingress.requests.at(-1)!.clientCertSerial).not.toBe(oldSerial);
    });
  });
});
