import type { MiddlewareObj } from '@middy/core';
import { isMeshError } from '../errors/meshErrors.ts';
import { invocationLogger } from './logger.ts';

/**
 * middy middleware: one log line per failure, with the error's name and its (already secret-free)
 * JSON message. Foreign errors are logged by name and code only: their messages are not ours to trust.
 */
export function logFailure(): MiddlewareObj {
  const logFailureOnError = (request: { error?: unknown }): void => {
    const error = request.error as (Error & { code?: string }) | undefined;
    if (!error) return;
    if (isMeshError(error)) invocationLogger().error('meshgate invocation failed', { errorName: error.name, errorMessage: error.message });
    else invocationLogger().error('meshgate invocation failed unexpectedly', { errorName: error.name, errorCode: error.code });
  };
  return { onError: logFailureOnError };
}
