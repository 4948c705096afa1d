/**
 * The moment by which the invocation must have answered. Every step (SSM, token endpoint,
 * each attempt) derives its timeout from it, so the invoker answers with a named error
 * before Lambda kills the sandbox (`Sandbox.Timedout` carries no cause).
 */
export class Deadline {
  readonly at: number;

  constructor(at: number) {
    this.at = at;
  }

  /** From Lambda's remaining time, less a margin for building and returning the answer. */
  static fromRemainingMs(remainingMs: number, marginMs = Deadline.marginFor(remainingMs)): Deadline {
    return new Deadline(Date.now() + Math.max(0, remainingMs - marginMs));
  }

  /** 10% of the remaining time, between 200 ms and 2 s. */
  static marginFor(remainingMs: number): number {
    return Math.min(2_000, Math.max(200, Math.floor(remainingMs * 0.1)));
  }

  remainingMs(): number {
    return Math.max(0, this.at - Date.now());
  }

  expired(): boolean {
    return this.remainingMs() <= 0;
  }

  /** A signal that aborts at the deadline or after `capMs`, whichever comes first. */
  signal(capMs = Number.POSITIVE_INFINITY): AbortSignal {
    return AbortSignal.timeout(Math.max(1, Math.min(capMs, this.remainingMs())));
  }
}
