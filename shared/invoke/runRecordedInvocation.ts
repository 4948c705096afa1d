import { isMeshError } from '../errors/meshErrors.ts';
import type { InvokerContext } from './invokerContext.ts';
import { recordInvocation, type InvocationRecord } from './recordInvocation.ts';

/**
 * Runs one invocation and writes its invocation record whatever happens: the outcome is
 * the status (or gRPC code) on success, the error's name on failure.
 *
 * @example
 * return runRecordedInvocation(lambdaContext, (record, startedAt) => invoke(input, record, startedAt), (output) => output.status);
 */
export async function runRecordedInvocation<T>(
  lambdaContext: InvokerContext,
  run: (record: InvocationRecord, startedAt: number) => Promise<T>,
  outcomeOf: (output: T) => number,
): Promise<T> {
  const startedAt = performance.now();
  const record: InvocationRecord = { requestId: lambdaContext.awsRequestId, amznTraceId: invocationTraceHeader(lambdaContext), attempts: 0 };
  try {
    const output = await run(record, startedAt);
    record.status = outcomeOf(output);
    return output;
  } catch (error) {
    record.error = isMeshError(error) ? error.name : 'Error';
    throw error;
  } finally {
    record.durationMs = Math.round(performance.now() - startedAt);
    recordInvocation(record);
  }
}

/**
 * The invocation's X-Ray trace header: from the context when the runtime passes it there (the
 * current Node.js runtime does, and with several invocations per sandbox (AWS_LAMBDA_MAX_CONCURRENCY)
 * it is the only place: `_X_AMZN_TRACE_ID` is then never set), else from `_X_AMZN_TRACE_ID`.
 */
function invocationTraceHeader(lambdaContext: InvokerContext): string | undefined {
  return lambdaContext.xRayTraceId ?? process.env._X_AMZN_TRACE_ID;
}
