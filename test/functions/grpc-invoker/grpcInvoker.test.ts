import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../shared/catalog/catalogTypes.ts';
import { LocalParameter } from '../../mesh/localParameter.ts';
import { startLocalMesh, type LocalMesh } from '../../mesh/startLocalMesh.ts';
import { startTcpForwarder } from '../../mesh/startTcpForwarder.ts';
import { capturedLogRecords } from '../../support/capturedOutput.ts';
import { registerSecrets } from '../../support/findSecrets.ts';
import { errorJson, Sandbox } from '../../support/invokeHandler.ts';

const entry = '../../functions/grpc-invoker/index.ts';
const reflectionPath = '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo';
let mesh: LocalMesh;
const restore: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  mesh = await startLocalMesh();
  Object.assign(process.env, mesh.env);
  registerSecrets(mesh.secrets());
});

beforeEach(() => {
  mesh.inventory.clearFaults();
});

afterEach(async () => {
  for (const undo of restore.splice(0).reverse()) await undo();
});

afterAll(async () => {
  await mesh?.stop();
});

/** A fresh sandbox of the gRPC invoker (new caches, pools and tokens). */
const sandbox = () => new Sandbox(entry).coldStart();

/** Writes a catalog variant for one test; the original is written back afterwards. */
async function useCatalog(change: (catalog: Catalog) => void): Promise<void> {
  const original = structuredClone(mesh.catalog);
  const variant = structuredClone(mesh.catalog);
  change(variant);
  restore.push(() => mesh.putCatalog(original));
  await mesh.putCatalog(variant);
}

const reserve = {
  service: 'inventory',
  rpc: 'inventory.v1.Inventory/Reserve',
  message: { sku: 'B-2', quantity: 3 },
};
const context = {
  Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:fulfil:run-1' },
  State: { Name: 'ReserveStock', RetryCount: 0 },
};

describe('Function: GrpcInvokerFunction (through the local mesh)', () => {
  describe('success', () => {
    it('makes a unary call with the descriptor-set schema and maps proto3 JSON both ways', async () => {
      // Prepare
      const invoker = await sandbox();
      const message = {
        sku: 'B-2',
        quantity: 3,
        orderNumber: '9007199254740993',
        priority: 'PRIORITY_EXPRESS',
        holdUntil: '2026-12-01T10:00:00.500Z',
        note: 'aGVsbG8=',
        labels: { channel: 'web' },
        warehouses: ['north', 'south'],
      };
      // Act
      const output = await invoker.invoke({ ...reserve, message, metadata: { 'x-tenant': 'acme' }, context });
      // Assess
      expect(output).toMatchObject({ ok: true, code: 0, meta: { service: 'inventory', attempts: 1 } });
      expect(output.message).toEqual({
        reservationId: expect.stringMatching(/^res-\d+$/),
        sku: 'B-2',
        quantity: 3,
        orderNumber: '9007199254740993',
        priority: 'PRIORITY_EXPRESS',
        holdUntil: '2026-12-01T10:00:00.500Z',
        note: 'aGVsbG8=',
        labels: { channel: 'web' },
        warehouses: ['north', 'south'],
        backordered: 0,
      });
      const received = mesh.inventory.requests.at(-1)!;
      expect(received.message).toMatchObject({ order_number: '9007199254740993', priority: 'PRIORITY_EXPRESS', warehouses: ['north', 'south'] });
      expect(received.metadata).toMatchObject({
        'x-tenant': 'acme',
        'idempotency-key': output.meta.idempotencyKey,
        'x-request-id': output.meta.requestId,
        'user-agent': expect.stringMatching(/^meshgate\/\d+\.\d+\.\d+/),
        traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/),
      });
      expect(received.metadata.authorization).toBeUndefined();
      const atIngress = mesh.ingress.requests.at(-1)!;
      expect(atIngress).toMatchObject({ authority: 'inventory.mesh.local', path: '/inventory.v1.Inventory/Reserve', httpVersion: '2.0', decision: 'allowed' });
      expect(atIngress.claims.aud).toContain('https://inventory.mesh.local');
      expect(atIngress.headers['grpc-timeout']).toMatch(/^\d+m$/);
    });

    it('sends the tracing headers of the X-Ray trace header the runtime passes on the context', async () => {
      // Prepare
      const invoker = await sandbox();
      const xRayTraceId = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
      // Act
      await invoker.invoke(reserve, 30_000, { xRayTraceId });
      // Assess
      expect(mesh.inventory.requests.at(-1)!.metadata).toMatchObject({
        traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
        'x-b3-traceid': '5759e988bd862e3fe1be46a994272793',
        'x-b3-spanid': '53995c3f42cd8ad8',
        'x-b3-sampled': '1',
      });
    });

    it('returns only allow-listed response metadata, from headers and trailers', async () => {
      const invoker = await sandbox();
      const output = await invoker.invoke(reserve);
      expect(output.metadata).toEqual({
        'x-request-id': output.meta.requestId,
        'x-inventory-region': 'local-1',
        'x-stock-remaining': '97',
      });
    });

    it('reads the schema by server reflection once per sandbox', async () => {
      // Prepare
      const invoker = await sandbox();
      const reflectionCalls = () => mesh.ingress.requests.filter((request) => request.path === reflectionPath).length;
      const before = reflectionCalls();
      // Act
      const first = await invoker.invoke({ ...reserve, service: 'inventory-reflection', message: { sku: 'C-9', order_number: 42 } });
      const second = await invoker.invoke({ ...reserve, service: 'inventory-reflection', message: { sku: 'C-9' } });
      // Assess
      expect(first.message).toMatchObject({ sku: 'C-9', orderNumber: '42', quantity: 0, priority: 'PRIORITY_UNSPECIFIED' });
      expect(second.ok).toBe(true);
      expect(reflectionCalls()).toBe(before + 1);
      const reflection = mesh.ingress.requests.find((request) => request.path === reflectionPath)!;
      expect(reflection.authority).toBe('inventory-reflection.mesh.local');
      expect(reflection.decision).toBe('allowed');
    });

    it('sends an idempotency key stable across ASL retries of the same state', async () => {
      // Prepare
      const invoker = await sandbox();
      const effects = mesh.inventory.effects;
      const run = { ...context, Execution: { Id: `${context.Execution.Id}-idempotency` } };
      // Act
      const first = await invoker.invoke({ ...reserve, context: run });
      const retried = await invoker.invoke({ ...reserve, context: { ...run, State: { ...run.State, RetryCount: 1 } } });
      const other = await invoker.invoke({ ...reserve, idempotencyKey: 'order-A-17-reserve' });
      // Assess
      expect(first.meta.idempotencyKey).toMatch(/^mg1-/);
      expect(retried.meta.idempotencyKey).toBe(first.meta.idempotencyKey);
      expect(retried.message.reservationId).toBe(first.message.reservationId);
      expect(other.meta.idempotencyKey).toBe('order-A-17-reserve');
      expect(mesh.inventory.effects).toBe(effects + 2);
    });

    it('reuses the HTTP/2 connection, the token and the schema on a warm sandbox', async () => {
      const invoker = await sandbox();
      await invoker.invoke(reserve);
      const handshakes = mesh.ingress.handshakes;
      const tokenRequests = mesh.idp.tokenRequests;
      for (let i = 0; i < 5; i++) await invoker.invoke(reserve);
      expect(mesh.ingress.handshakes).toBe(handshakes);
      expect(mesh.idp.tokenRequests).toBe(tokenRequests);
    });

    it('writes one audit line per invocation', async () => {
      const invoker = await sandbox();
      await invoker.invoke({ ...reserve, context });
      const audit = capturedLogRecords().filter((record) => record.message === 'meshgate invocation');
      expect(audit.at(-1)).toMatchObject({
        meshService: 'inventory', method: 'POST', pathTemplate: '/inventory.v1.Inventory/Reserve', outcome: 0, attempts: 1,
        identity: 'default', stateName: 'ReserveStock',
      });
      expect(JSON.stringify(audit)).not.toContain('B-2');
    });
  });

  describe('invalid tasks', () => {
    it.each([
      ['an unknown field', { ...reserve, body: {} }],
      ['an rpc that is not package.Service/Method', { ...reserve, rpc: 'inventory.v1.Inventory.Reserve' }],
      ['a message that is not an object', { ...reserve, message: [1] }],
      ['grpc-timeout metadata', { ...reserve, metadata: { 'grpc-timeout': '1S' } }],
      ['authorization metadata', { ...reserve, metadata: { authorization: 'Bearer x' } }],
      ['binary metadata that is not base64', { ...reserve, metadata: { 'x-trace-bin': 'not base64!' } }],
      ['a message field the schema does not have', { ...reserve, message: { sku: 'B-2', qty: 3 } }],
      ['a message value of the wrong type', { ...reserve, message: { sku: 'B-2', quantity: 'three' } }],
    ])('refuses %s with Mesh.InvalidTask and calls nothing', async (_what, task) => {
      // Prepare
      const invoker = await sandbox();
      const calls = mesh.inventory.requests.length;
      // Act
      const error = await invoker.invokeError(task);
      // Assess
      expect(error.name).toBe('Mesh.InvalidTask');
      expect(mesh.inventory.requests.length).toBe(calls);
    });

    it('does not echo message values in the error', async () => {
      const invoker = await sandbox();
      const error = await invoker.invokeError({ ...reserve, message: { sku: 'B-2', quantity: 'secret-ish value' } });
      expect(errorJson(error).message).toContain('inventory.v1.ReserveRequest.quantity');
      expect(error.message).not.toContain('secret-ish');
    });

    // inventory-reflection lists no rpcs: what it refuses, its schema refuses.
    it.each([
      ['a service not in the catalog', { ...reserve, service: 'billing' }],
      ['an HTTP service', { ...reserve, service: 'orders' }],
      ['a method the schema does not have', { ...reserve, service: 'inventory-reflection', rpc: 'inventory.v1.Inventory/Cancel' }],
      ['a streaming method', { ...reserve, service: 'inventory-reflection', rpc: 'inventory.v1.Inventory/WatchStock' }],
      ['a gRPC service reflection does not know', { ...reserve, service: 'inventory-reflection', rpc: 'billing.v1.Billing/Charge' }],
    ])('refuses %s with Mesh.UnknownService', async (_what, task) => {
      const invoker = await sandbox();
      const error = await invoker.invokeError(task);
      expect(error.name).toBe('Mesh.UnknownService');
      expect(errorJson(error).service).toBe(task.service);
    });

    it.each([
      ['a method of the schema outside rpcs', 'inventory.v1.Inventory/WatchStock'],
      ['a method the schema does not have', 'inventory.v1.Inventory/Cancel'],
      ['a gRPC service the schema does not have', 'billing.v1.Billing/Charge'],
    ])('refuses %s with Mesh.UnknownService before any credentials, token, schema or connection', async (_what, rpc) => {
      // Prepare: a warm sandbox would hide a read or a handshake in its caches; a cold one would show it.
      const invoker = await sandbox();
      const before = { handshakes: mesh.ingress.handshakes, atIngress: mesh.ingress.requests.length, tokens: mesh.idp.tokenRequests };
      // Act
      const error = await invoker.invokeError({ ...reserve, rpc });
      // Assess
      expect(error.name).toBe('Mesh.UnknownService');
      expect(errorJson(error)).toEqual({ message: `rpc ${rpc} is not allowed for service "inventory"`, service: 'inventory' });
      expect(mesh.ingress.handshakes).toBe(before.handshakes);
      expect(mesh.ingress.requests.length).toBe(before.atIngress);
      expect(mesh.idp.tokenRequests).toBe(before.tokens);
    });

    it('refuses an rpc outside rpcs from the catalog alone, whatever the schema and the ingress would answer', async () => {
      // Prepare: a descriptor parameter that does not exist and an ingress nobody listens on.
      await useCatalog((catalog) => {
        catalog.services.inventory!.descriptorParameter = '/meshgate/local/grpc/missing-descriptor';
        catalog.ingress.url = 'https://127.0.0.1:1';
      });
      const invoker = await sandbox();
      // Act
      const refused = await invoker.invokeError({ ...reserve, rpc: 'inventory.v1.Inventory/WatchStock' });
      const allowed = await invoker.invokeError(reserve);
      // Assess: the allowed rpc gets as far as the schema, the other one never leaves the catalog.
      expect(refused.name).toBe('Mesh.UnknownService');
      expect(allowed.name).toBe('Mesh.ConfigError');
    });

    it('allows a whole gRPC service listed as package.Service/*', async () => {
      // Prepare
      await useCatalog((catalog) => {
        catalog.services.inventory!.rpcs = ['inventory.v1.Inventory/*'];
      });
      const invoker = await sandbox();
      // Act
      const output = await invoker.invoke(reserve);
      const streaming = await invoker.invokeError({ ...reserve, rpc: 'inventory.v1.Inventory/WatchStock' });
      // Assess: allowed by the catalog, and still refused by the schema for being streaming.
      expect(output.ok).toBe(true);
      expect(streaming.name).toBe('Mesh.UnknownService');
      expect(errorJson(streaming).message).toContain('server streaming');
    });
  });

  describe('status mapping', () => {
    it.each([
      [1, 'CANCELLED', 'Mesh.ClientError'],
      [2, 'UNKNOWN', 'Mesh.ServerError'],
      [3, 'INVALID_ARGUMENT', 'Mesh.ClientError'],
      [4, 'DEADLINE_EXCEEDED', 'Mesh.Timeout'],
      [5, 'NOT_FOUND', 'Mesh.ClientError'],
      [6, 'ALREADY_EXISTS', 'Mesh.ClientError'],
      [8, 'RESOURCE_EXHAUSTED', 'Mesh.Throttled'],
      [9, 'FAILED_PRECONDITION', 'Mesh.ClientError'],
      [10, 'ABORTED', 'Mesh.Unavailable'],
      [11, 'OUT_OF_RANGE', 'Mesh.ClientError'],
      [12, 'UNIMPLEMENTED', 'Mesh.ClientError'],
      [13, 'INTERNAL', 'Mesh.ServerError'],
      [14, 'UNAVAILABLE', 'Mesh.Unavailable'],
      [15, 'DATA_LOSS', 'Mesh.ServerError'],
    ])('maps status %i %s to %s with code and message in the error JSON', async (code, statusName, name) => {
      // Prepare
      const invoker = await sandbox();
      mesh.inventory.injectFault({ code, message: `fault ${code}: 100% é` });
      // Act
      const error = await invoker.invokeError(reserve);
      // Assess
      expect(error.name).toBe(name);
      expect(errorJson(error)).toEqual({
        message: `Service answered gRPC status ${code} ${statusName}`,
        service: 'inventory',
        grpcCode: code,
        detail: `fault ${code}: 100% é`,
      });
    });

    it.each([
      [16, 'Mesh.Unauthorized'],
      [7, 'Mesh.Unauthorized'],
    ])('maps status %i to %s after one forced refresh', async (code, name) => {
      // Prepare
      const invoker = await sandbox();
      await invoker.invoke(reserve);
      const tokenRequests = mesh.idp.tokenRequests;
      mesh.inventory.injectFault({ code, message: 'no' }, { times: 2 });
      // Act
      const error = await invoker.invokeError(reserve);
      // Assess
      expect(error.name).toBe(name);
      expect(errorJson(error)).toMatchObject({ grpcCode: code, detail: 'no' });
      expect(mesh.idp.tokenRequests).toBe(tokenRequests + 1);
    });

    it('succeeds on the second attempt when the refused call passes after the forced refresh', async () => {
      const invoker = await sandbox();
      mesh.inventory.injectFault({ code: 16, message: 'token revoked' });
      const output = await invoker.invoke(reserve);
      expect(output.meta.attempts).toBe(2);
    });

    it('carries status details as proto3 JSON, and RetryInfo as retryAfterSeconds', async () => {
      // Prepare
      const invoker = await sandbox();
      mesh.inventory.injectFault({
        code: 8,
        message: 'slow down',
        details: [{ stockShortage: { sku: 'B-2', available: 1 } }, { retryDelaySeconds: 2 }],
      });
      // Act
      const error = await invoker.invokeError(reserve);
      // Assess
      expect(error.name).toBe('Mesh.Throttled');
      expect(errorJson(error)).toMatchObject({
        grpcCode: 8,
        retryAfterSeconds: 2,
        grpcDetails: [
          { '@type': 'type.googleapis.com/inventory.v1.StockShortage', sku: 'B-2', available: 1 },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' },
        ],
      });
    });

    it('maps the ingress refusing the token (grpc-status 16 from Envoy) to Mesh.Unauthorized', async () => {
      // Prepare: tokens for another audience fail the ingress's JWT check on this route.
      await useCatalog((catalog) => {
        catalog.services.inventory!.audience = 'https://orders.mesh.local';
      });
      const invoker = await sandbox();
      const calls = mesh.inventory.requests.length;
      // Act
      const error = await invoker.invokeError(reserve);
      // Assess
      expect(error.name).toBe('Mesh.Unauthorized');
      expect(errorJson(error)).toMatchObject({ grpcCode: 16, detail: 'Jwt verification fails' });
      expect(mesh.ingress.requests.at(-1)!.decision).toBe('invalid_token');
      expect(mesh.inventory.requests.length).toBe(calls);
    });
  });

  describe('deadlines', () => {
    it('answers Mesh.Timeout when the service is slower than timeoutMs', async () => {
      const invoker = await sandbox();
      await invoker.invoke(reserve);
      mesh.inventory.injectFault({ delayMs: 2_000 });
      const started = Date.now();
      const error = await invoker.invokeError({ ...reserve, timeoutMs: 300 });
      expect(error.name).toBe('Mesh.Timeout');
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(mesh.inventory.requests.at(-1)!.metadata['x-request-id']).toBeDefined();
    });

    it('tells the server its deadline in grpc-timeout', async () => {
      const invoker = await sandbox();
      await invoker.invoke({ ...reserve, timeoutMs: 700 });
      const sent = Number(/^(\d+)m$/.exec(String(mesh.ingress.requests.at(-1)!.headers['grpc-timeout']))![1]);
      expect(sent).toBeGreaterThan(0);
      expect(sent).toBeLessThanOrEqual(700);
    });

    it('answers Mesh.Timeout before the Lambda deadline', async () => {
      const invoker = await sandbox();
      await invoker.invoke(reserve);
      mesh.inventory.injectFault({ delayMs: 5_000 });
      const started = Date.now();
      const error = await invoker.invokeError(reserve, 1_500);
      expect(error.name).toBe('Mesh.Timeout');
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    it('maps the ingress route timeout (grpc-status 14 from Envoy) to Mesh.Unavailable', async () => {
      const invoker = await sandbox();
      mesh.ingress.setRouteTimeoutMs(200);
      restore.push(() => mesh.ingress.setRouteTimeoutMs(60_000));
      mesh.inventory.injectFault({ delayMs: 1_000 });
      const error = await invoker.invokeError(reserve);
      expect(error.name).toBe('Mesh.Unavailable');
      expect(errorJson(error)).toMatchObject({ grpcCode: 14, detail: 'upstream request timeout' });
    });
  });

  describe('transport', () => {
    it('resends once on a fresh connection after a freeze, reaching the service once, without a refresh', async () => {
      // Prepare: the forwarder forgets connections idle 150 ms, as the far end of a frozen sandbox does.
      const forwarder = await startTcpForwarder({ target: { host: '127.0.0.1', port: mesh.ingress.port }, dropIdleAfterMs: 150 });
      restore.push(() => forwarder.stop());
      await useCatalog((catalog) => {
        catalog.ingress.url = forwarder.url;
      });
      const invoker = await sandbox();
      await invoker.invoke(reserve);
      await sleep(250);
      const before = { calls: mesh.inventory.requests.length, tokens: mesh.idp.tokenRequests };
      // Act
      const output = await invoker.invoke(reserve);
      // Assess
      expect(output.meta.attempts).toBe(2);
      expect(forwarder.resets).toBe(1);
      expect(mesh.inventory.requests.length - before.calls).toBe(1);
      expect(mesh.idp.tokenRequests).toBe(before.tokens);
    });

    it('picks up a rotated client certificate after the ingress revokes the old one', async () => {
      // Prepare
      const invoker = await sandbox();
      await invoker.invoke(reserve);
      const oldSerial = mesh.ingress.requests.at(-1)!.clientCertSerial;
      // The old certificate stays revoked, so the new one stays in SSM for the tests after this one.
      const next = await mesh.pki.issueClientCertificate('meshgate-grpc-rotated');
      registerSecrets([next.keyPem]);
      await mesh.ssm.put(LocalParameter.ClientCert, next.certPem);
      await mesh.ssm.put(LocalParameter.ClientKey, next.keyPem, { secure: true });
      await mesh.ingress.revokeClientCertificate(oldSerial);
      // Act
      const output = await invoker.invoke(reserve);
      // Assess
      expect(output.meta.attempts).toBe(2);
      expect(mesh.ingress.requests.at(-1)!.clientCertSerial).not.toBe(oldSerial);
    });
  });

  describe('configuration', () => {
    it('fails a descriptor parameter that is not a FileDescriptorSet as Mesh.ConfigError', async () => {
      const original = await mesh.ssm.client.send(
        new (await import('@aws-sdk/client-ssm')).GetParameterCommand({ Name: LocalParameter.InventoryDescriptor }),
      );
      restore.push(() => mesh.ssm.put(LocalParameter.InventoryDescriptor, original.Parameter!.Value!));
      await mesh.ssm.put(LocalParameter.InventoryDescriptor, Buffer.from('not a descriptor set').toString('base64'));
      const error = await (await sandbox()).invokeError(reserve);
      expect(error.name).toBe('Mesh.ConfigError');
      expect(errorJson(error).message).toContain(LocalParameter.InventoryDescriptor);
    });

    it('fails reflection against a service without it as Mesh.ConfigError', async () => {
      // Prepare: the orders route forwards to the HTTP workload, which answers 404 (UNIMPLEMENTED).
      await useCatalog((catalog) => {
        catalog.services['orders-grpc'] = { ...catalog.services.orders!, protocol: 'grpc', reflection: true };
        catalog.services['orders-grpc'].methods = undefined;
        catalog.services['orders-grpc'].paths = undefined;
      });
      // Act
      const error = await (await sandbox()).invokeError({ ...reserve, service: 'orders-grpc' });
      // Assess
      expect(error.name).toBe('Mesh.ConfigError');
      expect(errorJson(error)).toMatchObject({ grpcCode: 12, status: 404 });
    });

    it('fails an output over maxOutputBytes as Mesh.ResponseTooLarge', async () => {
      await useCatalog((catalog) => {
        catalog.services.inventory!.maxOutputBytes = 200;
      });
      const error = await (await sandbox()).invokeError(reserve);
      expect(error.name).toBe('Mesh.ResponseTooLarge');
    });
  });
});
