/** State output of the HTTP invoker (CONTRACT.md section 3). */
export interface HttpOutput {
  ok: boolean;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  meta: InvocationMeta;
}

export interface InvocationMeta {
  service: string;
  attempts: number;
  durationMs: number;
  /** The last attempt's x-request-id. */
  requestId: string;
  idempotencyKey?: string;
}
