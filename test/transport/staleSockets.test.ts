import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { IdentityCredentials } from '../../shared/credentials/identityCredentials.ts';
import { KEEP_ALIVE_MS, MeshPools } from '../../shared/transport/meshPool.ts';
import { sendAttempt } from '../../shared/transport/sendAttempt.ts';
import type { LocalMesh } from '../mesh/startLocalMesh.ts';
import { useLocalMesh } from '../support/useLocalMesh.ts';
import { startTcpForwarder, type TcpForwarder } from '../mesh/startTcpForwarder.ts';
import { Sandbox } from '../support/invokeHandler.ts';
import { transportCatalog } from './transportCatalog.ts';

// Pooled connections that the ingress closed while idle, or that died while the sandbox was frozen,
// must never surface as errors, and a resend must never reach the service twice.
const INGRESS_IDLE_MS = 300;
const getOrder = { service: 'orders', path: '/v1/orders/7' };
const createOrder = { service: 'orders', method: 'POST', path: '/v1/orders', body: { sku: 'S-1' } };

let mesh: LocalMesh;
useLocalMesh((started) => (mesh = started), { ingressIdleTimeoutMs: INGRESS_IDLE_MS });

describe.each([
  ['h2', ['h2', 'http/1.1']],
  ['HTTP/1.1', ['http/1.1']],
] as const)('Transport: stale sockets over %s', (protocol, offered) => {
  let forwarder: TcpForwarder | undefined;

  beforeEach(async () => {
    mesh.ingress.offerProtocols(offered);
    mesh.orders.clearFaults();
    await mesh.putCatalog(transportCatalog(mesh, { url: mesh.ingress.url }));
  });

  afterAll(async () => {
    await forwarder?.stop();
  });

  it(`never surfaces a connection the ingress closed while idle (idle timeout ${INGRESS_IDLE_MS} ms)`, async () => {
    // Prepare
    const sandbox = await new Sandbox().coldStart();
    await sandbox.invoke(getOrder);
    const handshakes = mesh.ingress.handshakes;
    // Act: idle well past the ingress's idle timeout, then at and around it (racing its close)
    const outputs = [];
    for (const idleMs of [INGRESS_IDLE_MS + 150, INGRESS_IDLE_MS, INGRESS_IDLE_MS + 10, INGRESS_IDLE_MS - 10]) {
      await sleep(idleMs);
      outputs.push(await sandbox.invoke(getOrder));
    }
    // Assess
    for (const output of outputs) expect(output).toMatchObject({ ok: true, status: 200 });
    expect(outputs[0].meta.attempts).toBe(1);
    expect(mesh.ingress.handshakes).toBeGreaterThan(handshakes);
    expect(mesh.ingress.requests.at(-1)!.httpVersion).toBe(protocol === 'h2' ? '2.0' : '1.1');
  });

  it('resends a POST once on a fresh connection after a freeze, without a refresh, reaching the service once', async () => {
    // Prepare: the forwarder forgets connections idle 150 ms, before the ingress's own close
    forwarder = await startTcpForwarder({ target: { host: '127.0.0.1', port: mesh.ingress.port }, dropIdleAfterMs: 150 });
    await mesh.putCatalog(transportCatalog(mesh, { url: forwarder.url }));
    const sandbox = await new Sandbox().coldStart();
    await sandbox.invoke(getOrder);
    await sleep(250); // the sandbox is "frozen": its pooled connection is gone at the far end
    const before = { requests: mesh.orders.requests.length, effects: mesh.orders.effects, tokens: mesh.idp.tokenRequests };
    // Act
    const output = await sandbox.invoke(createOrder);
    // Assess
    expect(output).toMatchObject({ ok: true, status: 201, meta: { attempts: 2 } });
    expect(forwarder.resets).toBe(1);
    expect(forwarder.accepted).toBe(2);
    expect(mesh.orders.requests.length - before.requests).toBe(1);
    expect(mesh.orders.effects - before.effects).toBe(1);
    expect(mesh.idp.tokenRequests).toBe(before.tokens);
  });

  it('replaces every stale pooled connection with one resend, so later calls need none', async () => {
    // Prepare: several pooled connections (concurrent calls), all forgotten during a "freeze"
    forwarder = await startTcpForwarder({ target: { host: '127.0.0.1', port: mesh.ingress.port }, dropIdleAfterMs: 150 });
    await mesh.putCatalog(transportCatalog(mesh, { url: forwarder.url }));
    const sandbox = await new Sandbox().coldStart();
    mesh.orders.injectFault({ delayMs: 50 }, { times: 4 });
    await Promise.all([1, 2, 3, 4].map(() => sandbox.invoke(getOrder)));
    await sleep(250);
    // Act
    const first = await sandbox.invoke(getOrder);
    const later = await Promise.all([1, 2, 3, 4].map(() => sandbox.invoke(getOrder)));
    // Assess
    expect(first.meta.attempts).toBe(2);
    expect(later.map((output) => output.meta.attempts)).toEqual([1, 1, 1, 1]);
    expect(forwarder.resets).toBe(1);
  });
});

describe('Transport: client keep-alive', () => {
  it('is shorter than the idle timeouts in front of a mesh (ALB 60 s, nginx 75 s, NLB 350 s, Envoy 1 h)', () => {
    expect(KEEP_ALIVE_MS).toBeLessThan(60_000);
  });

  it('closes an idle connection itself, before the ingress would', async () => {
    // Prepare: keep-alive 50 ms against the ingress's 300 ms, through a forwarder that sees who closes
    const counter = await startTcpForwarder({ target: { host: '127.0.0.1', port: mesh.ingress.port } });
    const pools = new MeshPools({ keepAliveMs: 50 });
    const credentials: IdentityCredentials = {
      identity: 'default',
      certPem: mesh.clientCertificate.certPem,
      keyPem: mesh.clientCertificate.keyPem,
      caPem: mesh.pki.meshCaPem,
      oidcSecret: { kind: 'secret', value: 'unused-in-this-test' },
      version: 'v1',
      certNotAfter: '',
    };
    const meshPool = pools.get(counter.url, 'orders.mesh.local', credentials);
    // Act: no token, so the ingress answers 403; any answer leaves an idle pooled connection
    const response = await sendAttempt(meshPool, {
      method: 'GET',
      path: '/v1/orders/7',
      headers: { host: 'orders.mesh.local' },
      timeoutMs: 2_000,
      maxResponseBytes: 1024,
    });
    await sleep(INGRESS_IDLE_MS - 50);
    // Assess
    expect(response.status).toBe(403);
    expect({ byClient: counter.closedByClient, byIngress: counter.closedByTarget }).toEqual({ byClient: 1, byIngress: 0 });
    await pools.closeAll();
    await counter.stop();
  });
});

describe('Class: MeshPools', () => {
  it('opens a new pool after discard', () => {
    // Prepare
    const pools = new MeshPools();
    const credentials = { identity: 'default', version: 'v1' } as IdentityCredentials;
    const first = pools.get('https://127.0.0.1:1', 'orders.mesh.local', credentials);
    // Act
    pools.discard(first);
    const second = pools.get('https://127.0.0.1:1', 'orders.mesh.local', credentials);
    // Assess
    expect(second).not.toBe(first);
    expect(pools.get('https://127.0.0.1:1', 'orders.mesh.local', credentials)).toBe(second);
  });
});
