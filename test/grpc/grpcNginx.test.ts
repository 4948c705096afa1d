import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPki } from '../mesh/pki.ts';
import { startLocalMesh, type LocalMesh } from '../mesh/startLocalMesh.ts';
import { findNginx, startNginxIngress, type NginxIngress } from '../mesh/startNginxIngress.ts';
import { registerSecrets } from '../support/findSecrets.ts';
import { errorJson, Sandbox } from '../support/invokeHandler.ts';

// The gRPC invoker through a real proxy we did not write: nginx-light's grpc_pass (HTTP/2 to the
// inventory workload, trailers relayed). nginx checks no JWT: this covers the gRPC transport, framing,
// trailers and status mapping, not authorization. Without nginx it is skipped locally and fails in CI.
const NGINX_CA = '/meshgate/local/grpc/nginx-ca';
const available = findNginx() !== undefined || process.env.CI !== undefined;
const grpcAuthorities = ['inventory.mesh.local', 'inventory-reflection.mesh.local'];

let mesh: LocalMesh;
let nginx: NginxIngress;

beforeAll(async () => {
  if (!available) return;
  mesh = await startLocalMesh();
  Object.assign(process.env, mesh.env);
  registerSecrets(mesh.secrets());
  const pki = await createPki(['orders.mesh.local', ...grpcAuthorities]);
  registerSecrets(pki.secrets());
  nginx = await startNginxIngress({
    serverCertPem: pki.server.certPem,
    serverKeyPem: pki.server.keyPem,
    clientCaPem: mesh.pki.clientCaPem,
    authorities: ['orders.mesh.local'],
    upstreamUrl: mesh.orders.url,
    grpcRoutes: { authorities: grpcAuthorities, upstreamUrl: mesh.inventory.url },
  });
  await mesh.ssm.put(NGINX_CA, pki.meshCaPem);
  await mesh.putCatalog({ ...mesh.catalog, ingress: { url: nginx.url, caParameter: NGINX_CA } });
});

beforeEach(() => {
  mesh?.inventory.clearFaults();
});

afterAll(async () => {
  await nginx?.stop();
  await mesh?.stop();
});

const reserve = { service: 'inventory', rpc: 'inventory.v1.Inventory/Reserve', message: { sku: 'B-2', quantity: 3, orderNumber: '17' } };
const sandbox = () => new Sandbox('../../functions/grpc-invoker/index.ts').coldStart();

describe.skipIf(!available)('Function: GrpcInvokerFunction through nginx grpc_pass', () => {
  it('makes a unary call and reads the trailers nginx relays', async () => {
    const output = await (await sandbox()).invoke(reserve);
    expect(output).toMatchObject({
      ok: true,
      code: 0,
      message: { sku: 'B-2', quantity: 3, orderNumber: '17', backordered: 0 },
      metadata: { 'x-inventory-region': 'local-1', 'x-stock-remaining': '97' },
      meta: { attempts: 1 },
    });
    expect(mesh.inventory.requests.at(-1)!.metadata['idempotency-key']).toBe(output.meta.idempotencyKey);
  });

  it('reads the schema by server reflection through nginx', async () => {
    const output = await (await sandbox()).invoke({ ...reserve, service: 'inventory-reflection' });
    expect(output.message).toMatchObject({ sku: 'B-2', orderNumber: '17' });
  });

  it.each([
    [14, 'Mesh.Unavailable'],
    [4, 'Mesh.Timeout'],
    [9, 'Mesh.ClientError'],
    [13, 'Mesh.ServerError'],
  ])('maps status %i relayed by nginx to %s', async (code, name) => {
    mesh.inventory.injectFault({ code, message: `fault ${code}`, details: [{ stockShortage: { sku: 'B-2', available: 0 } }] });
    const error = await (await sandbox()).invokeError(reserve);
    expect(error.name).toBe(name);
    expect(errorJson(error)).toMatchObject({
      grpcCode: code,
      detail: `fault ${code}`,
      grpcDetails: [{ '@type': 'type.googleapis.com/inventory.v1.StockShortage', sku: 'B-2', available: 0 }],
    });
  });

  it('retries UNAUTHENTICATED once after a forced refresh', async () => {
    mesh.inventory.injectFault({ code: 16, message: 'stale token' });
    const output = await (await sandbox()).invoke(reserve);
    expect(output.meta.attempts).toBe(2);
  });

  it('answers Mesh.Timeout when the service is slower than timeoutMs', async () => {
    const invoker = await sandbox();
    await invoker.invoke(reserve);
    mesh.inventory.injectFault({ delayMs: 2_000 });
    const started = Date.now();
    const error = await invoker.invokeError({ ...reserve, timeoutMs: 300 });
    expect(error.name).toBe('Mesh.Timeout');
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
