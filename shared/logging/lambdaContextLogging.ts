import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { holdLambdaContext } from './logger.ts';

/**
 * middy middleware: the Lambda context (request id, function name, ARN, memory, cold start) for
 * the invoker's Powertools log lines, applied with Powertools' own `addContext` when the
 * invocation writes its first line (`invocationLogger`). Used instead of
 * Powertools' `injectLambdaContext`, which also re-draws the debug sampling decision, clears the
 * log buffer and can log the whole event on every invocation: the invoker uses none of these
 * (an event may carry personal data), and they cost time on the warm path (issue #7).
 *
 * @example
 * export const handler = middy(invokeHttp).use(lambdaContextLogging()).use(logFailure());
 */
export function lambdaContextLogging(): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    before: ({ context }) => {
      holdLambdaContext(context);
    },
  };
}
