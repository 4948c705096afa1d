import { setTimeout as sleep } from 'node:timers/promises';
import { decodeProtectedHeader } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../shared/catalog/catalogTypes.ts';
import { generateSigningJwk } from '../mesh/generateSigningJwk.ts';
import { LocalParameter } from '../mesh/localParameter.ts';
import type { LocalMesh } from '../mesh/startLocalMesh.ts';
import { registerSecrets } from '../support/findSecrets.ts';
import { errorJson, Sandbox } from '../support/invokeHandler.ts';
import { startResilienceMesh, type ResilienceMesh } from './startResilienceMesh.ts';

/** Short enough for a test to watch a token age; long enough that its 10% expiry margin (1 s) is robust. */
const ttlSeconds = 10;

let resilience: ResilienceMesh;
let mesh: LocalMesh;
let originalCatalog: Catalog;

beforeAll(async () => {
  resilience = await startResilienceMesh({ accessTokenTtlSeconds: ttlSeconds });
  mesh = resilience.mesh;
  originalCatalog = structuredClone(mesh.catalog);
});

afterEach(async () => {
  mesh.idp.setFailure(null);
  mesh.orders.clearFaults();
  if (JSON.stringify(mesh.catalog) !== JSON.stringify(originalCatalog)) await mesh.putCatalog(structuredClone(originalCatalog));
});

afterAll(async () => {
  await resilience?.stop();
});

const ordersTask = { service: 'orders', path: '/v1/orders/7' };

/** The verified claims of the last request the ingress let through. */
function lastClaims() {
  return mesh.ingress.requests.at(-1)!.claims;
}

async function sleepUntil(at: number): Promise<void> {
  await sleep(Math.max(0, at - Date.now()));
}

describe('Resilience: access tokens', () => {
  it('caches per (identity, audience, scope) and shares one in-flight token request between concurrent callers', async () => {
    // Prepare: the default identity for two more (audience, scope) pairs
    const catalog = structuredClone(originalCatalog);
    catalog.services['orders-read'] = { ...catalog.services.orders!, scope: 'orders:read' };
    catalog.services['basic-as-default'] = { ...catalog.services['orders-basic']!, identity: 'default' };
    await mesh.putCatalog(catalog);
    const sandbox = await new Sandbox().coldStart();
    const tokenRequests = mesh.idp.tokenRequests;
    resilience.ssmProxy.resetCounts();

    // Act
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => sandbox.invoke(ordersTask)));
    const afterConcurrent = mesh.idp.tokenRequests - tokenRequests;
    const ssmCalls = resilience.ssmProxy.counts('GetParameters').calls;
    await sandbox.invoke({ service: 'orders-read', path: '/v1/orders/7' });
    const readScope = lastClaims().scope;
    await sandbox.invoke({ service: 'basic-as-default', path: '/v1/orders/7' });
    const otherAudience = lastClaims().aud;
    await sandbox.invoke({ service: 'orders-basic', path: '/v1/orders/7' });
    const afterAll = mesh.idp.tokenRequests - tokenRequests;
    for (const service of ['orders', 'orders-read', 'basic-as-default', 'orders-basic']) await sandbox.invoke({ service, path: '/v1/orders/7' });

    // Assess
    expect(concurrent.every((output) => output.status === 200)).toBe(true);
    expect(afterConcurrent).toBe(1);
    expect(ssmCalls).toBe(2); // catalog and identity, each once for ten concurrent cold invocations
    expect(readScope).toBe('orders:read');
    expect(otherAudience).toContain('https://orders-basic.mesh.local');
    expect(afterAll).toBe(4); // (default, orders, write), (default, orders, read), (default, orders-basic), (basic, orders-basic)
    expect(mesh.idp.tokenRequests - tokenRequests).toBe(4);
  });

  it('refreshes after ~80% of the lifetime, rides out an IdP outage while the token is valid, fails once it is not', async () => {
    // Prepare: sandbox one gets its token at I; sandbox two three seconds later, to watch a refresh after the outage
    const first = await new Sandbox().coldStart();
    await first.invoke(ordersTask);
    const tokenA = lastClaims();
    const issuedAt = (tokenA.iat as number) * 1000;
    await sleepUntil(issuedAt + 3_000);
    const second = await new Sandbox().coldStart();
    await second.invoke(ordersTask);
    const tokenA2 = lastClaims();
    const issuedAt2 = (tokenA2.iat as number) * 1000;
    const requests = () => mesh.idp.tokenRequests;

    // Act and assess, on the token's clock: fresh until 8 s, usable until 9 s, expired at 10 s
    await sleepUntil(issuedAt + 7_000);
    let before = requests();
    await first.invoke(ordersTask);
    expect(lastClaims().jti).toBe(tokenA.jti); // 70%: cached
    expect(requests()).toBe(before);

    mesh.idp.setFailure('unavailable');
    await sleepUntil(issuedAt + 8_500);
    before = requests();
    const duringOutage = await first.invoke(ordersTask);
    expect(duringOutage.status).toBe(200);
    expect(lastClaims().jti).toBe(tokenA.jti); // 85%: the refresh failed, the valid token served
    expect(requests()).toBe(before + 1);

    await sleepUntil(issuedAt + 9_500);
    const expired = await first.invokeError(ordersTask);
    expect(expired.name).toBe('Mesh.IdentityUnavailable');
    expect(errorJson(expired)).toMatchObject({ service: 'orders', status: 503 });

    mesh.idp.setFailure(null);
    const recovered = await first.invoke(ordersTask);
    expect(recovered.status).toBe(200);
    expect(lastClaims().jti).not.toBe(tokenA.jti);

    await sleepUntil(issuedAt2 + 7_000);
    before = requests();
    await second.invoke(ordersTask);
    expect(lastClaims().jti).toBe(tokenA2.jti);
    expect(requests()).toBe(before);
    await sleepUntil(issuedAt2 + 8_500);
    await second.invoke(ordersTask);
    expect(lastClaims().jti).not.toBe(tokenA2.jti); // 85%: replaced
    expect(requests()).toBe(before + 1);
  });

  it('ends a cold start with the IdP down in Mesh.IdentityUnavailable, hung or failing, before the deadline', async () => {
    for (const failure of ['unavailable', 'hang'] as const) {
      mesh.idp.setFailure(failure);
      const started = Date.now();
      const error = await new Sandbox().invokeError(ordersTask, 2_000);
      expect(error.name).toBe('Mesh.IdentityUnavailable');
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('drops the token after a 401 invalid_token and retries once with a new one', async () => {
    // Prepare
    const sandbox = await new Sandbox().coldStart();
    await sandbox.invoke(ordersTask);
    const refused = lastClaims().jti;
    const tokenRequests = mesh.idp.tokenRequests;
    mesh.orders.injectFault({ status: 401, headers: { 'www-authenticate': 'Bearer realm="orders", error="invalid_token"' } });

    // Act
    const output = await sandbox.invoke(ordersTask);

    // Assess
    expect(output).toMatchObject({ status: 200, meta: { attempts: 2 } });
    expect(mesh.idp.tokenRequests).toBe(tokenRequests + 1);
    expect(lastClaims().jti).not.toBe(refused);

    // A second 401 in the same invocation is final: one forced refresh only.
    mesh.orders.injectFault({ status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } }, { times: 2 });
    const error = await sandbox.invokeError(ordersTask);
    expect(error.name).toBe('Mesh.Unauthorized');
    expect(errorJson(error)).toMatchObject({ status: 401 });
  });

  it('re-signs a self-signed token after the ingress stops trusting its key (signing key rotated in SSM)', async () => {
    // Prepare: a warm token signed with the current key
    const sandbox = await new Sandbox().coldStart();
    await sandbox.invoke({ service: 'orders-selfsigned', path: '/v1/orders/7' });
    const oldKid = decodeProtectedHeader(String(mesh.ingress.requests.at(-1)!.headers.authorization).slice(7)).kid!;
    const next = await generateSigningJwk('self-signed');
    registerSecrets([next.privateJwk.d]);
    mesh.ingress.trustSelfSignedKey(next.publicJwk);
    await mesh.ssm.put(LocalParameter.SigningKey, JSON.stringify(next.privateJwk), { secure: true });
    mesh.ingress.distrustSelfSignedKey(oldKid);

    // Act
    const output = await sandbox.invoke({ service: 'orders-selfsigned', path: '/v1/orders/7' });

    // Assess: 401 invalid_token, forced refresh (new key from SSM), new token, one retry
    const [refusedRequest, acceptedRequest] = mesh.ingress.requests.slice(-2);
    expect(refusedRequest!.decision).toBe('invalid_token');
    expect(output).toMatchObject({ status: 200, meta: { attempts: 2 } });
    expect(decodeProtectedHeader(String(acceptedRequest!.headers.authorization).slice(7)).kid).toBe(next.publicJwk.kid);
  });
});
