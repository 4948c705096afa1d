import type { Context } from 'aws-lambda';

/**
 * What the invokers read from Lambda's context: the remaining time (every deadline derives from
 * it) and, for the invocation record, the request id. Tests and tools may pass less than Lambda.
 */
export type InvokerContext = Pick<Context, 'getRemainingTimeInMillis'> & Partial<Pick<Context, 'awsRequestId'>>;
