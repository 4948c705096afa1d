import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { lambdaContext } from '../../test/support/lambdaContext.ts';
import type { JsonValue } from './jsonValue.ts';

/** A Lambda handler as the Node.js runtime calls it. */
export type LambdaHandler = (event: unknown, context: Context) => unknown;

export interface LocalLambdaFunction {
  handler: LambdaHandler;
  /** The function's Timeout (template.yaml Globals: 30). */
  timeoutSeconds?: number;
}

/** The Node.js runtime's error response: what Step Functions puts in a Cause, and `sam local invoke` prints. */
export interface LambdaErrorResponse {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export type LocalInvocation =
  | { ok: true; requestId: string; durationMs: number; payload: JsonValue }
  | { ok: false; requestId: string; durationMs: number; error: LambdaErrorResponse };

/**
 * One invocation the way the Lambda Node.js runtime makes it: the event as JSON, a context whose
 * clock runs down from the function's timeout, the result serialized as JSON; a thrown error turned
 * into `{ errorType: error.name, errorMessage: error.message, trace: stack lines }`; a run past the
 * timeout answered as `Sandbox.Timedout` (the handler cannot be killed here, only abandoned).
 *
 * @example
 * const invocation = await invokeLocalFunction({ handler, timeoutSeconds: 30 }, event, 'HttpInvokerFunction');
 * if (!invocation.ok) console.log(invocation.error.errorType);
 */
export async function invokeLocalFunction(
  fn: LocalLambdaFunction,
  event: unknown,
  functionName: string,
  requestId: string = randomUUID(),
): Promise<LocalInvocation> {
  const timeoutSeconds = fn.timeoutSeconds ?? 30;
  const context: Context = { ...lambdaContext(timeoutSeconds * 1000, functionName), awsRequestId: requestId };
  const startedAt = performance.now();
  const durationMs = () => Math.round((performance.now() - startedAt) * 100) / 100;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000);
  });
  try {
    const input = JSON.parse(JSON.stringify(event) ?? 'null') as unknown;
    const output = await Promise.race([Promise.resolve().then(() => fn.handler(input, context)), timedOut]);
    if (output === 'timeout') {
      const errorMessage = `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
      return { ok: false, requestId, durationMs: durationMs(), error: { errorType: 'Sandbox.Timedout', errorMessage, trace: [] } };
    }
    return { ok: true, requestId, durationMs: durationMs(), payload: JSON.parse(JSON.stringify(output) ?? 'null') as JsonValue };
  } catch (error) {
    return { ok: false, requestId, durationMs: durationMs(), error: errorResponse(error) };
  } finally {
    clearTimeout(timer);
  }
}

function errorResponse(error: unknown): LambdaErrorResponse {
  if (error instanceof Error) return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}
