import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SsmOutage } from '../mesh/startSsmFaultProxy.ts';
import { capturedLogRecords } from '../support/capturedOutput.ts';
import { errorJson, Sandbox } from '../support/invokeHandler.ts';
import { startResilienceMesh, type ResilienceMesh } from './startResilienceMesh.ts';

let resilience: ResilienceMesh;
const task = { service: 'orders', path: '/v1/orders/A-17' };

beforeAll(async () => {
  resilience = await startResilienceMesh();
});

afterEach(() => {
  vi.unstubAllEnvs();
  resilience.ssmProxy.setOutage(null);
  resilience.ssmProxy.throttleNext(0);
  resilience.ssmProxy.setRateLimit(null);
});

afterAll(async () => {
  await resilience?.stop();
});

/** Runs `act` and returns what it resolved or threw, with how long it took. */
async function timed<T>(act: () => Promise<T>): Promise<{ ms: number; value?: T; error?: Error }> {
  const started = Date.now();
  try {
    const value = await act();
    return { ms: Date.now() - started, value };
  } catch (error) {
    return { ms: Date.now() - started, error: error as Error };
  }
}

describe('Resilience: SSM throttling and outages', () => {
  it('retries GetParameters answered 400 ThrottlingException (AWS JSON) with backoff and succeeds', async () => {
    // Prepare
    const { ssmProxy } = resilience;
    ssmProxy.resetCounts();
    ssmProxy.throttleNext(2);

    // Act
    const { ms, value, error } = await timed(() => new Sandbox().invoke(task, 30_000));

    // Assess
    expect(error).toBeUndefined();
    expect(value.status).toBe(200);
    // Two SDK calls (catalog, identity), two of their requests throttled and retried.
    expect(ssmProxy.counts('GetParameters')).toMatchObject({ calls: 2, throttled: 2, forwarded: 2, requests: 4 });
    // Full jitter from a 1 s base for throttling: two retries sleep at most 1 + 2 s.
    expect(ms).toBeLessThan(3_500);
  });

  it('ends a cold start against a fully throttled SSM in Mesh.CredentialsUnavailable before the deadline', async () => {
    // Prepare
    const { ssmProxy } = resilience;
    ssmProxy.resetCounts();
    ssmProxy.setOutage(SsmOutage.Throttle);
    const lambdaTimeoutMs = 2_500;

    // Act
    const { ms, error } = await timed(() => new Sandbox().invoke(task, lambdaTimeoutMs));

    // Assess
    expect(error?.name).toBe('Mesh.CredentialsUnavailable');
    expect(errorJson(error!).message).toMatch(/SSM/);
    expect(ms).toBeLessThan(lambdaTimeoutMs);
    // It kept trying until the deadline (more than one attempt), all throttled.
    expect(ssmProxy.counts('GetParameters').requests).toBeGreaterThan(1);
    expect(ssmProxy.counts('GetParameters').forwarded).toBe(0);
  });

  it.each([SsmOutage.Reset, SsmOutage.Unavailable, SsmOutage.Hang])(
    'ends a cold start with SSM down (%s) in Mesh.CredentialsUnavailable before the deadline',
    async (outage) => {
      // Prepare
      resilience.ssmProxy.setOutage(outage);
      const lambdaTimeoutMs = 1_500;

      // Act
      const { ms, error } = await timed(() => new Sandbox().invoke(task, lambdaTimeoutMs));

      // Assess
      expect(error?.name).toBe('Mesh.CredentialsUnavailable');
      expect(errorJson(error!)).toMatchObject({ service: 'orders' });
      expect(ms).toBeLessThan(lambdaTimeoutMs);
    },
  );

  it('serves cached catalog and credentials through an outage until their age plus the grace period, probing once per interval', async () => {
    // Prepare: cache age 1 s, grace 3 s (MESHGATE_OUTAGE_GRACE_SECONDS)
    vi.stubEnv('MESHGATE_CACHE_SECONDS', '1');
    vi.stubEnv('MESHGATE_OUTAGE_GRACE_SECONDS', '3');
    const { ssmProxy } = resilience;
    const sandbox = await new Sandbox().coldStart();
    await sandbox.invoke(task);
    const loadedAt = Date.now();
    ssmProxy.setOutage(SsmOutage.Hang);
    await sleep(1_200);

    // Act
    ssmProxy.resetCounts();
    const stale = await timed(() => sandbox.invoke(task, 5_000));
    const probes = ssmProxy.counts('GetParameters').calls;
    const withinRecheck = await timed(() => sandbox.invoke(task, 3_000));
    const probesAfterSecond = ssmProxy.counts('GetParameters').calls;
    await sleep(Math.max(0, loadedAt + 4_300 - Date.now()));
    const expired = await timed(() => sandbox.invoke(task, 3_000));
    ssmProxy.setOutage(null);
    const recovered = await timed(() => sandbox.invoke(task));

    // Assess
    expect(stale.error).toBeUndefined();
    // A refresh with a usable fallback waits at most FALLBACK_REFRESH_BUDGET_MS (2 s), not the deadline.
    expect(stale.ms).toBeLessThan(2_600);
    // One probe (the catalog's); the identity refresh found the invocation's budget spent and fell back at once.
    expect(probes).toBe(1);
    expect(withinRecheck.error).toBeUndefined();
    expect(withinRecheck.ms).toBeLessThan(500);
    expect(probesAfterSecond).toBe(probes);
    const warnings = capturedLogRecords().filter((record) => record.message === 'Serving cached value during outage');
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(expired.error?.name).toBe('Mesh.CredentialsUnavailable');
    expect(recovered.error).toBeUndefined();
    console.info(JSON.stringify({ measured: 'ssm outage', staleServedMs: stale.ms, cachedServedMs: withinRecheck.ms, expiredFailedMs: expired.ms }));
  });

  it('serves a warm sandbox through throttling without failing, within the refresh budget', async () => {
    // Prepare
    vi.stubEnv('MESHGATE_CACHE_SECONDS', '1');
    const { ssmProxy } = resilience;
    const sandbox = await new Sandbox().coldStart();
    await sandbox.invoke(task);
    ssmProxy.setOutage(SsmOutage.Throttle);
    await sleep(1_100);

    // Act
    ssmProxy.resetCounts();
    const { ms, error } = await timed(() => sandbox.invoke(task));

    // Assess
    expect(error).toBeUndefined();
    expect(ms).toBeLessThan(2_600);
    expect(ssmProxy.counts('GetParameters').throttled).toBeGreaterThanOrEqual(2);
  });
});
