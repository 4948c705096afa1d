import type { GrpcReply } from './sendGrpcCall.ts';

/** `what` of a failure raised by server reflection rather than by the task's call. */
export const REFLECTION_ANSWERED = 'Server reflection answered';

/**
 * A call the invoker made on its own behalf (server reflection) ended with a non-OK status. The
 * invoker treats it like the task's own call: one forced refresh after UNAUTHENTICATED or
 * PERMISSION_DENIED, then the contract's error for the status.
 */
export class GrpcStatusFailure extends Error {
  override readonly name = 'GrpcStatusFailure';
  readonly reply: GrpcReply;
  /** What answered, for the error text: "Server reflection answered". */
  readonly what: string;

  constructor(reply: GrpcReply, what: string) {
    super(`${what} gRPC status ${reply.code}`);
    this.reply = reply;
    this.what = what;
  }
}
