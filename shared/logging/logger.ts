import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/**
 * The one logger of the invokers. Messages are fixed strings and data goes in attributes
 * (parameter *names*, error names, durations) — never a secret value, token or PEM.
 * Inside an invocation, log through `invocationLogger()` so the line carries the Lambda context.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'meshgate' });

let heldContext: Context | undefined;
/** The context Powertools holds now. */
let appliedContext: Context | undefined;

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
  if (appliedContext === undefined) invocationLogger();
}

/**
 * The logger, with an invocation's Lambda context (request id, function name, ARN, memory, cold
 * start) applied first if Powertools does not hold it yet: `context` when the caller has it (a
 * line that belongs to one invocation says which), else the held one.
 *
 * Where the runtime runs invocations concurrently (Lambda Managed Instances), the held context is
 * the latest invocation's, not necessarily the writer's: a line that belongs to one invocation
 * passes its own (applied and written in one synchronous step, so no other invocation can come
 * between). Lines from work shared by concurrent invocations (one credential load) carry the
 * latest invocation's.
 *
 * @example
 * invocationLogger().warn('Serving cached value during outage', { parameter });
 * invocationLogger(request.context).error('meshgate invocation failed', { errorName });
 */
export function invocationLogger(context: Context | undefined = heldContext): Logger {
  // Powertools' addContext spends its cold-start flag on every call: a context it holds is not applied again.
  if (context && context !== appliedContext) {
    logger.addContext(context);
    appliedContext = context;
  }
  return logger;
}
