import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachedCatalog, loadCatalog } from '../../../shared/catalog/loadCatalog.ts';
import { authenticateCall, cachedAuthentication } from '../../../shared/invoke/authenticateCall.ts';
import { Deadline } from '../../../shared/invoke/deadline.ts';
import type { LocalMesh } from '../../mesh/startLocalMesh.ts';
import { useLocalMesh } from '../../support/useLocalMesh.ts';

let mesh: LocalMesh;
useLocalMesh((started) => (mesh = started));
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('Function: cachedAuthentication (the synchronous warm path)', () => {
  it('answers nothing before the first load, then exactly what authenticateCall answers, without any I/O', async () => {
    // Prepare
    expect(cachedCatalog()).toBeUndefined();
    const deadline = Deadline.fromRemainingMs(10_000);
    const catalog = await loadCatalog(deadline);
    expect(cachedCatalog()).toBe(catalog);
    const orders = catalog.services.orders!;
    expect(cachedAuthentication(catalog, orders)).toBeUndefined();

    // Act
    const loaded = await authenticateCall(catalog, orders, deadline, false);
    const tokenRequests = mesh.idp.tokenRequests;
    const cached = cachedAuthentication(catalog, orders);

    // Assess
    expect(cached).toEqual(loaded);
    expect(cached!.credentials).toBe(loaded.credentials);
    expect(mesh.idp.tokenRequests).toBe(tokenRequests);
  });

  it('finds the cached catalog by the parameter named when it was loaded, without reading the environment again', async () => {
    const catalog = await loadCatalog(Deadline.fromRemainingMs(10_000));
    // Lambda never changes a sandbox's environment; a warm invocation does not look at it again.
    vi.stubEnv('MESHGATE_CATALOG_PARAMETER', '/meshgate/elsewhere/catalog');
    expect(cachedCatalog()).toBe(catalog);
  });

  it('answers nothing for an audience whose token was never fetched, though the credentials are cached', async () => {
    const deadline = Deadline.fromRemainingMs(10_000);
    const catalog = await loadCatalog(deadline);
    const orders = catalog.services.orders!;
    await authenticateCall(catalog, orders, deadline, false);
    const otherAudience = { ...orders, audience: 'https://elsewhere.mesh.example.com' };
    expect(cachedAuthentication(catalog, otherAudience)).toBeUndefined();
  });
});
