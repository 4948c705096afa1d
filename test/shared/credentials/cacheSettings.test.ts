import { afterEach, describe, expect, it, vi } from 'vitest';
import { cacheMaxAgeMs, OUTAGE_GRACE_MS, outageGraceMs, outageRecheckMs } from '../../../shared/credentials/cacheSettings.ts';

describe('Module: cacheSettings', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    [undefined, 300_000],
    ['', 300_000],
    ['60', 60_000],
    ['0', 0],
    ['-1', 300_000],
    ['soon', 300_000],
  ])('reads MESHGATE_CACHE_SECONDS=%s as %i ms', (value, expected) => {
    if (value === undefined) vi.stubEnv('MESHGATE_CACHE_SECONDS', undefined);
    else vi.stubEnv('MESHGATE_CACHE_SECONDS', value);
    expect(cacheMaxAgeMs()).toBe(expected);
  });

  it.each([
    [undefined, OUTAGE_GRACE_MS],
    ['2', 2_000],
    ['0', 0],
    ['x', OUTAGE_GRACE_MS],
  ])('reads MESHGATE_OUTAGE_GRACE_SECONDS=%s as %i ms', (value, expected) => {
    vi.stubEnv('MESHGATE_OUTAGE_GRACE_SECONDS', value);
    expect(outageGraceMs()).toBe(expected);
  });

  it('rechecks an outage every 30 s, or every cache age when that is shorter', () => {
    vi.stubEnv('MESHGATE_CACHE_SECONDS', '300');
    expect(outageRecheckMs()).toBe(30_000);
    vi.stubEnv('MESHGATE_CACHE_SECONDS', '1');
    expect(outageRecheckMs()).toBe(1_000);
  });
});
