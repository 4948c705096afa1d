import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSsm, type LocalSsm } from './startSsm.ts';
import { SsmOutage, startSsmFaultProxy, type SsmFaultProxy } from './startSsmFaultProxy.ts';

let ssm: LocalSsm;
let proxy: SsmFaultProxy;
let client: SSMClient;

beforeAll(async () => {
  ssm = await startSsm();
  proxy = await startSsmFaultProxy(ssm.endpoint);
  await ssm.put('/proxy/test', 'value');
  // No SDK retries: every request's fate is visible.
  client = new SSMClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });
});

afterEach(() => {
  proxy.setOutage(null);
  proxy.setRateLimit(null);
  proxy.throttleNext(0);
  proxy.resetCounts();
});

afterAll(async () => {
  client?.destroy();
  await proxy?.stop();
  await ssm?.stop();
});

const read = () => client.send(new GetParametersCommand({ Names: ['/proxy/test'] }));

describe('Test part: startSsmFaultProxy', () => {
  it('forwards to moto_server and counts requests per action', async () => {
    const result = await read();
    expect(result.Parameters?.[0]?.Value).toBe('value');
    expect(proxy.counts('GetParameters')).toEqual({ requests: 1, calls: 1, throttled: 0, forwarded: 1, failed: 0 });
  });

  it('answers throttling the way Parameter Store does: 400 with an AWS JSON ThrottlingException', async () => {
    proxy.throttleNext(1);
    await expect(read()).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    await expect(read()).resolves.toBeDefined();
    expect(proxy.counts('GetParameters')).toMatchObject({ throttled: 1, forwarded: 1 });
  });

  it('limits the rate with a token bucket: a burst of the quota passes, the rest is throttled', async () => {
    // One a second after a burst of five: slow enough that refills during the test cannot blur the counts.
    proxy.setRateLimit(1, 5);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => read()));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
    expect(proxy.counts('GetParameters').throttled).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    const later = await Promise.allSettled(Array.from({ length: 3 }, () => read()));
    expect(later.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  });

  it.each([
    [SsmOutage.Reset, { code: 'ECONNRESET' }],
    [SsmOutage.Unavailable, { $metadata: { httpStatusCode: 503 } }],
  ])('fails every request during a %s outage', async (outage, expected) => {
    proxy.setOutage(outage);
    await expect(read()).rejects.toMatchObject(expected);
    expect(proxy.counts('GetParameters')).toMatchObject({ failed: 1, forwarded: 0 });
  });

  it('holds requests during a hang outage until it ends', async () => {
    proxy.setOutage(SsmOutage.Hang);
    const pending = read().catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    proxy.setOutage(null);
    expect(await pending).toBeInstanceOf(Error);
  });
});
