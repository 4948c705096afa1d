import type { TaskContext } from '../task/httpTask.ts';

/** A validated gRPC task input (CONTRACT.md section 3b), as returned by `parseGrpcTask`. */
export interface GrpcTask {
  service: string;
  /** `package.Service/Method`. */
  rpc: string;
  /** The request message as proto3 JSON; `{}` when the task gives none. */
  message: Record<string, unknown>;
  /** Request metadata (lower-case keys; `-bin` values base64). */
  metadata: Record<string, string>;
  timeoutMs?: number;
  idempotencyKey?: string;
  context?: TaskContext;
}
