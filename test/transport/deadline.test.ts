import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LocalMesh } from '../mesh/startLocalMesh.ts';
import { useLocalMesh } from '../support/useLocalMesh.ts';
import { ForwarderMode, startTcpForwarder } from '../mesh/startTcpForwarder.ts';
import { errorJson, Sandbox } from '../support/invokeHandler.ts';
import { transportCatalog } from './transportCatalog.ts';

// Every attempt's timeout is min(task timeoutMs, service timeoutMs, Lambda's remaining time less a
// margin), and the invoker answers with a named error before Lambda would kill it: slow headers, a
// trickling body, a hung IdP or a hung SSM included.
const getOrder = { service: 'orders', path: '/v1/orders/7' };
/** What the handler may spend after the deadline (building the error, logging), in ms. */
const ANSWER_SLACK_MS = 100;

let mesh: LocalMesh;
useLocalMesh((started) => (mesh = started));

beforeEach(() => {
  mesh.orders.clearFaults();
  mesh.idp.setFailure(null);
});

/** A warm sandbox (credentials and token cached) on a catalog whose orders service has `serviceTimeoutMs`. */
async function warmSandbox(serviceTimeoutMs = 10_000): Promise<Sandbox> {
  const catalog = transportCatalog(mesh, { url: mesh.ingress.url });
  catalog.services.orders!.timeoutMs = serviceTimeoutMs;
  await mesh.putCatalog(catalog);
  const sandbox = await new Sandbox().coldStart();
  await sandbox.invoke(getOrder);
  return sandbox;
}

async function timed<T>(action: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  const started = performance.now();
  const value = await action();
  return { value, elapsedMs: performance.now() - started };
}

describe('Transport: deadlines', () => {
  it.each([
    ["the task's timeoutMs", { task: 300, service: 10_000, lambda: 30_000 }, 300],
    ["the service's timeoutMs", { task: 5_000, service: 300, lambda: 30_000 }, 300],
    ["Lambda's remaining time less the margin", { task: 5_000, service: 10_000, lambda: 1_500 }, 1_300],
  ])('bounds an attempt by %s, whichever is smallest', async (_bound, limits, expectedMs) => {
    // Prepare
    const sandbox = await warmSandbox(limits.service);
    mesh.orders.injectFault({ delayMs: 3_000 });
    // Act
    const { value: error, elapsedMs } = await timed(() => sandbox.invokeError({ ...getOrder, timeoutMs: limits.task }, limits.lambda));
    // Assess
    expect(error.name).toBe('Mesh.Timeout');
    expect(errorJson(error)).toMatchObject({ service: 'orders' });
    expect(elapsedMs).toBeGreaterThanOrEqual(expectedMs - 20);
    expect(elapsedMs).toBeLessThan(Math.min(expectedMs + 250, limits.lambda - ANSWER_SLACK_MS));
  });

  it.each([250, 700, 1_500])('answers Mesh.Timeout before a %i ms Lambda deadline while the body trickles in', async (lambdaMs) => {
    // Prepare
    const sandbox = await warmSandbox();
    mesh.orders.injectFault({ trickle: { chunks: 40, intervalMs: 100 } });
    // Act
    const { value: error, elapsedMs } = await timed(() => sandbox.invokeError(getOrder, lambdaMs));
    // Assess
    expect(error.name).toBe('Mesh.Timeout');
    expect(elapsedMs).toBeLessThan(lambdaMs - ANSWER_SLACK_MS);
  });

  it('answers Mesh.Timeout before the Lambda deadline when headers are slow', async () => {
    // Prepare
    const sandbox = await warmSandbox();
    mesh.orders.injectFault({ delayMs: 5_000 });
    // Act
    const { value: error, elapsedMs } = await timed(() => sandbox.invokeError(getOrder, 1_000));
    // Assess
    expect(error.name).toBe('Mesh.Timeout');
    expect(elapsedMs).toBeLessThan(1_000 - ANSWER_SLACK_MS);
  });

  it('answers Mesh.Timeout at once, sending nothing, when almost no time is left', async () => {
    // Prepare
    const sandbox = await warmSandbox();
    const requests = mesh.orders.requests.length;
    // Act
    const { value: error, elapsedMs } = await timed(() => sandbox.invokeError(getOrder, 150));
    // Assess
    expect(error.name).toBe('Mesh.Timeout');
    expect(elapsedMs).toBeLessThan(100);
    expect(mesh.orders.requests.length).toBe(requests);
  });

  it('gives the resend after a stale socket only the time that is left', async () => {
    // Prepare: a "frozen" pooled connection, then a slow service for the resend
    const forwarder = await startTcpForwarder({ target: { host: '127.0.0.1', port: mesh.ingress.port }, dropIdleAfterMs: 100 });
    await mesh.putCatalog(transportCatalog(mesh, { url: forwarder.url }));
    const sandbox = await new Sandbox().coldStart();
    await sandbox.invoke(getOrder);
    await sleep(200);
    mesh.orders.injectFault({ delayMs: 5_000 });
    // Act
    const { value: error, elapsedMs } = await timed(() => sandbox.invokeError(getOrder, 1_000));
    await forwarder.stop();
    // Assess
    expect(error.name).toBe('Mesh.Timeout');
    expect(forwarder.resets).toBe(1);
    expect(elapsedMs).toBeLessThan(1_000 - ANSWER_SLACK_MS);
  });

  it('answers Mesh.IdentityUnavailable before the deadline when the IdP hangs on a cold start', async () => {
    // Prepare
    await mesh.putCatalog(transportCatalog(mesh, { url: mesh.ingress.url }));
    const sandbox = await new Sandbox().coldStart();
    mesh.idp.setFailure('hang');
    // Act
    const { value: error, elapsedMs } = await timed(() => sandbox.invokeError(getOrder, 1_500));
    // Assess
    expect(error.name).toBe('Mesh.IdentityUnavailable');
    expect(errorJson(error)).toMatchObject({ service: 'orders', message: expect.stringMatching(/request failed/) });
    expect(elapsedMs).toBeGreaterThan(1_000);
    expect(elapsedMs).toBeLessThan(1_500 - ANSWER_SLACK_MS);
  });

  it('answers Mesh.CredentialsUnavailable before the deadline when SSM hangs on a cold start', async () => {
    // Prepare: SSM's endpoint accepts connections and never answers
    const hungSsm = await startTcpForwarder({ target: { host: '127.0.0.1', port: 1 }, mode: ForwarderMode.Blackhole });
    const endpoint = process.env.AWS_ENDPOINT_URL_SSM;
    process.env.AWS_ENDPOINT_URL_SSM = `http://127.0.0.1:${hungSsm.port}`;
    try {
      const sandbox = await new Sandbox().coldStart();
      // Act
      const { value: error, elapsedMs } = await timed(() => sandbox.invokeError(getOrder, 1_500));
      // Assess
      expect(error.name).toBe('Mesh.CredentialsUnavailable');
      expect(errorJson(error)).toMatchObject({ service: 'orders' });
      expect(hungSsm.accepted).toBeGreaterThan(0);
      expect(elapsedMs).toBeGreaterThan(1_000);
      expect(elapsedMs).toBeLessThan(1_500 - ANSWER_SLACK_MS);
    } finally {
      process.env.AWS_ENDPOINT_URL_SSM = endpoint;
      await hungSsm.stop();
    }
  });
});
