import { describe, expect, it, vi } from 'vitest';
import { InvocationRetries } from '../../../shared/invoke/invocationRetries.ts';
import { AttemptFailure } from '../../../shared/transport/attemptFailure.ts';
import type { MeshPool, MeshPools } from '../../../shared/transport/meshPool.ts';

const pool = {} as MeshPool;
const pools = () => ({ discard: vi.fn() }) as unknown as MeshPools & { discard: ReturnType<typeof vi.fn> };

describe('Class: InvocationRetries', () => {
  it('resends a stale socket once, on the first attempt, on a discarded pool', () => {
    // Prepare
    const retries = new InvocationRetries();
    const meshPools = pools();
    // Act
    retries.nextAttempt();
    const first = retries.afterTransportFailure(new AttemptFailure('stale', 'UND_ERR_SOCKET'), meshPools, pool);
    retries.nextAttempt();
    const second = retries.afterTransportFailure(new AttemptFailure('stale', 'UND_ERR_SOCKET'), meshPools, pool);
    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(meshPools.discard).toHaveBeenCalledTimes(1);
    expect(retries.forceRefresh).toBe(false);
  });

  it('refreshes once after a refusal and then gives up', () => {
    const retries = new InvocationRetries();
    retries.nextAttempt();
    expect(retries.afterTransportFailure(new AttemptFailure('refused', 'ECONNRESET'), pools(), pool)).toBe(true);
    expect(retries.forceRefresh).toBe(true);
    retries.nextAttempt();
    expect(retries.afterTransportFailure(new AttemptFailure('untrusted', 'SELF_SIGNED_CERT_IN_CHAIN'), pools(), pool)).toBe(false);
    expect(retries.mayRefresh()).toBe(false);
  });

  it('allows a third attempt only when a stale resend meets a refusal', () => {
    const retries = new InvocationRetries();
    retries.nextAttempt();
    expect(retries.afterTransportFailure(new AttemptFailure('stale', 'UND_ERR_SOCKET'), pools(), pool)).toBe(true);
    retries.nextAttempt();
    expect(retries.mayRefresh()).toBe(true);
    retries.nextAttempt();
    expect(retries.mayRefresh()).toBe(false);
    expect(retries.afterTransportFailure(new AttemptFailure('stale', 'UND_ERR_SOCKET'), pools(), pool)).toBe(false);
    expect(retries.attempt).toBe(3);
  });

  it.each(['unreachable', 'cut', 'timeout', 'tooLarge'] as const)('never retries %s', (kind) => {
    const retries = new InvocationRetries();
    retries.nextAttempt();
    expect(retries.afterTransportFailure(new AttemptFailure(kind, 'X'), pools(), pool)).toBe(false);
  });

  it('does not refresh on the second attempt after a refresh-free, non-stale first one', () => {
    const retries = new InvocationRetries();
    retries.nextAttempt();
    retries.nextAttempt();
    expect(retries.mayRefresh()).toBe(false);
  });
});
