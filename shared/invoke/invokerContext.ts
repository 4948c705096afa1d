import type { Context } from 'aws-lambda';

/**
 * What the invokers read from Lambda's context: the remaining time (every deadline derives from
 * it) and, for the invocation record, the request id. Tests and tools may pass less than Lambda.
 */
export type InvokerContext = Pick<Context, 'getRemainingTimeInMillis'> &
  Partial<Pick<Context, 'awsRequestId'>> & {
    /**
     * The invocation's X-Ray trace header, as the current Node.js runtime interface client passes
     * it on the context (not yet in @types/aws-lambda). It sets `_X_AMZN_TRACE_ID` only while a
     * sandbox runs one invocation at a time; older runtimes and tools set only the variable.
     */
    xRayTraceId?: string;
  };
