import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { isMeshError } from '../errors/meshErrors.ts';
import { invocationLogger } from './logger.ts';

/**
 * middy middleware: one log line per failure, with the error's name and its (already secret-free)
 * JSON message, under the failed invocation's own Lambda context. Foreign errors are logged by
 * name and code only: their messages are not ours to trust.
 */
export function logFailure(): MiddlewareObj<unknown, unknown, Error, Context> {
  const logFailureOnError = (request: { error?: unknown; context: Context }): void => {
    const error = request.error as (Error & { code?: string }) | undefined;
    if (!error) return;
    const log = invocationLogger(request.context);
    if (isMeshError(error)) log.error('meshgate invocation failed', { errorName: error.name, errorMessage: error.message });
    else log.error('meshgate invocation failed unexpectedly', { errorName: error.name, errorCode: error.code });
  };
  return { onError: logFailureOnError };
}
