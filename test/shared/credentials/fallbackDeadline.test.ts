import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FALLBACK_REFRESH_BUDGET_MS } from '../../../shared/credentials/cacheSettings.ts';
import { fallbackDeadline } from '../../../shared/credentials/fallbackDeadline.ts';
import { Deadline } from '../../../shared/invoke/deadline.ts';

describe('Function: fallbackDeadline', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-03-01T12:00:00Z') });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the invocation deadline when nothing could take over', () => {
    const deadline = new Deadline(Date.now() + 20_000);
    expect(fallbackDeadline(deadline, { canFallBack: false })).toBe(deadline);
  });

  it('gives fallback-able refreshes one shared budget per invocation', () => {
    // Prepare
    const deadline = new Deadline(Date.now() + 20_000);
    const first = fallbackDeadline(deadline, { canFallBack: true });
    vi.advanceTimersByTime(FALLBACK_REFRESH_BUDGET_MS);

    // Act
    const second = fallbackDeadline(deadline, { canFallBack: true });

    // Assess: the second refresh finds the budget spent
    expect(first.at).toBe(deadline.at - 20_000 + FALLBACK_REFRESH_BUDGET_MS);
    expect(second).toBe(first);
    expect(second.expired()).toBe(true);
    expect(fallbackDeadline(new Deadline(Date.now() + 20_000), { canFallBack: true }).expired()).toBe(false);
  });

  it('never extends the invocation deadline', () => {
    const deadline = new Deadline(Date.now() + 500);
    expect(fallbackDeadline(deadline, { canFallBack: true }).at).toBe(deadline.at);
  });
});
