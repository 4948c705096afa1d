/**
 * Why one attempt failed, decided from undici's and Node's error `code`s (never from message text).
 * - `stale`: a reused pooled socket died before any response byte: safe to resend once.
 * - `refused`: a connection opened for this attempt was refused or cut by the ingress during or right
 *   after the handshake (under TLS 1.3 a rejected client certificate looks like this).
 * - `untrusted`: the ingress's certificate did not verify against the configured CA.
 * - `unreachable`: nothing answered (refused, DNS, connect timeout).
 * - `cut`: the connection died after the response had started.
 * - `timeout`: the attempt's time ran out.
 * - `tooLarge`: the body passed `maxResponseBytes`.
 */
export type AttemptFailureKind = 'stale' | 'refused' | 'untrusted' | 'unreachable' | 'cut' | 'timeout' | 'tooLarge';

export class AttemptFailure extends Error {
  override readonly name = 'AttemptFailure';
  readonly kind: AttemptFailureKind;
  /** The underlying error code, safe to log and to show. */
  readonly code: string;
  /** The response status, when the failure happened after the headers arrived. */
  readonly status: number | undefined;

  constructor(kind: AttemptFailureKind, code: string, options?: ErrorOptions & { status?: number }) {
    super(`${kind} (${code})`, options);
    this.kind = kind;
    this.code = code;
    this.status = options?.status;
  }
}
