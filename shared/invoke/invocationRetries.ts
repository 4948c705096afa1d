import type { AttemptFailure } from '../transport/attemptFailure.ts';
import type { MeshPool, MeshPools } from '../transport/meshPool.ts';

/**
 * The in-invocation retry rules (CONTRACT.md section 4), shared by every invoker. Only what cannot
 * have reached the service is retried, each kind at most once: a pooled socket that died before
 * any response byte is resent once on a fresh connection, and after the ingress or identity
 * provider refused the credentials they are re-read once (a forced refresh). Everything else is
 * left to ASL Retry, where waiting is free.
 *
 * @example
 * const retries = new InvocationRetries();
 * while (true) { retries.nextAttempt(); ... if (failure && retries.afterTransportFailure(failure, pools, pool)) continue; }
 */
export class InvocationRetries {
  /** The current attempt, from 1. */
  attempt = 0;
  /** Whether this attempt must bypass the credential and token caches. */
  forceRefresh = false;
  #resentStale = false;

  nextAttempt(): number {
    return ++this.attempt;
  }

  /** A stale pooled socket: resend once, only on the first attempt (later ones use fresh connections). */
  mayResendStale(): boolean {
    if (this.#resentStale || this.attempt !== 1) return false;
    this.#resentStale = true;
    return true;
  }

  /**
   * Credentials refused: refresh once, on the first attempt, or on the second when the first was
   * a stale resend (a revocation that cut an in-flight request meets the refusal on the resend).
   */
  mayRefresh(): boolean {
    if (this.forceRefresh || !(this.attempt === 1 || (this.attempt === 2 && this.#resentStale))) return false;
    this.forceRefresh = true;
    return true;
  }

  /** Whether to try again after a transport failure; discards the pool whose socket went stale. */
  afterTransportFailure(failure: AttemptFailure, pools: MeshPools, pool: MeshPool): boolean {
    if (failure.kind === 'stale' && this.mayResendStale()) {
      // Its siblings outlived the same freeze: resend on a fresh connection, not another pooled one.
      pools.discard(pool);
      return true;
    }
    return (failure.kind === 'refused' || failure.kind === 'untrusted') && this.mayRefresh();
  }
}
