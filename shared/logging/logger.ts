import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/**
 * The one logger of the invokers. Messages are fixed strings and data goes in attributes
 * (parameter *names*, error names, durations) — never a secret value, token or PEM.
 * Inside an invocation, log through `invocationLogger()` so the line carries the Lambda context.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'meshgate' });

let heldContext: Context | undefined;
let firstInvocation = true;

/**
 * Keeps the current invocation's Lambda context for the log lines it may write. Most warm
 * invocations write none (their invocation record carries the request id itself), so the context
 * goes to Powertools (`addContext`, a few environment reads) only when a line is written.
 *
 * @example
 * holdLambdaContext(context); // in middleware, before the handler
 */
export function holdLambdaContext(context: Context): void {
  heldContext = context;
  // Powertools decides cold_start when the context is applied (true the first time only): the
  // sandbox's first invocation applies it at once, so the flag lands on the invocation it belongs to.
  if (firstInvocation) {
    firstInvocation = false;
    invocationLogger();
  }
}

/**
 * The logger, with the current invocation's Lambda context (request id, function name, ARN,
 * memory, cold start) applied first if it has not been yet.
 *
 * @example
 * invocationLogger().warn('Serving cached value during outage', { parameter });
 */
export function invocationLogger(): Logger {
  if (heldContext) {
    logger.addContext(heldContext);
    heldContext = undefined;
  }
  return logger;
}
