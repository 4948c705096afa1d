import { afterEach, describe, expect, it, vi } from 'vitest';
import { Deadline } from '../../../shared/invoke/deadline.ts';

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('Class: Deadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    [0, 200],
    [1_000, 200],
    [2_000, 200],
    [2_010, 201],
    [5_000, 500],
    [19_999, 1_999],
    [20_000, 2_000],
    [900_000, 2_000],
  ])('keeps a margin of 10%% between 200 ms and 2 s: %i ms remaining → %i ms', (remainingMs, expected) => {
    // Prepare
    const remaining = remainingMs;

    // Act
    const margin = Deadline.marginFor(remaining);

    // Assess
    expect(margin).toBe(expected);
  });

  it('sets the deadline at the remaining time less the margin', () => {
    // Prepare
    vi.useFakeTimers({ now: NOW });

    // Act
    const deadline = Deadline.fromRemainingMs(10_000);

    // Assess
    expect(deadline.at).toBe(NOW + 9_000);
    expect(deadline.remainingMs()).toBe(9_000);
    expect(deadline.expired()).toBe(false);
  });

  it('takes an explicit margin', () => {
    // Prepare
    vi.useFakeTimers({ now: NOW });

    // Act
    const deadline = Deadline.fromRemainingMs(10_000, 50);

    // Assess
    expect(deadline.remainingMs()).toBe(9_950);
  });

  it('is already expired when less than the margin remains', () => {
    // Prepare
    vi.useFakeTimers({ now: NOW });

    // Act
    const deadline = Deadline.fromRemainingMs(150);

    // Assess
    expect(deadline.at).toBe(NOW);
    expect(deadline.remainingMs()).toBe(0);
    expect(deadline.expired()).toBe(true);
  });

  it('counts down and never goes below zero', () => {
    // Prepare
    vi.useFakeTimers({ now: NOW });
    const deadline = new Deadline(NOW + 1_000);

    // Act
    vi.advanceTimersByTime(400);
    const midway = [deadline.remainingMs(), deadline.expired()];
    vi.advanceTimersByTime(5_000);
    const after = [deadline.remainingMs(), deadline.expired()];

    // Assess
    expect(midway).toEqual([600, false]);
    expect(after).toEqual([0, true]);
  });

  it('gives a signal that aborts with a TimeoutError at the deadline', async () => {
    // Prepare
    const deadline = new Deadline(Date.now() + 30);
    const signal = deadline.signal();
    const startedAt = performance.now();

    // Act
    const reason = await new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason)));

    // Assess
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(20);
    expect((reason as DOMException).name).toBe('TimeoutError');
  });

  it('gives a signal that aborts at capMs when that comes first', async () => {
    // Prepare
    const deadline = new Deadline(Date.now() + 60_000);
    const signal = deadline.signal(20);
    const startedAt = performance.now();

    // Act
    await new Promise((resolve) => signal.addEventListener('abort', resolve));

    // Assess
    expect(performance.now() - startedAt).toBeLessThan(5_000);
  });

  it('gives a signal that aborts almost at once when the deadline has passed', async () => {
    // Prepare
    const deadline = new Deadline(Date.now() - 1_000);
    const signal = deadline.signal();

    // Act
    await new Promise((resolve) => signal.addEventListener('abort', resolve));

    // Assess
    expect(signal.aborted).toBe(true);
  });

  it('gives a signal that is not aborted before the deadline', async () => {
    // Prepare
    const deadline = new Deadline(Date.now() + 60_000);

    // Act
    const signal = deadline.signal();
    await new Promise((resolve) => setTimeout(resolve, 10));

    // Assess
    expect(signal.aborted).toBe(false);
  });
});
