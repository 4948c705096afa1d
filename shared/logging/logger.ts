import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/**
 * The one logger of the invokers. Messages are fixed strings and data goes in attributes
 * (parameter *names*, error names, durations) — never a secret value, token or PEM.
 * Inside an invocation, log through `invocationLogger()` so the line carries the Lambda context.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'meshgate' });

let heldContext: Context | undefined;
/** What Powertools holds now: applying it again would also spend its cold-start flag (`addContext` reads it each time). */
let appliedContext: Context | undefined;
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
 * The logger, with an invocation's Lambda context (request id, function name, ARN, memory, cold
 * start) applied first: `context` when the caller has it (a line that belongs to one invocation
 * says which), else the held one if it has not been applied yet.
 *
 * Where the runtime runs invocations concurrently (Lambda Managed Instances), the held context is
 * the latest invocation's, not necessarily the writer's: a line that belongs to one invocation
 * passes its own (applied and written in one synchronous step, so no other invocation can come
 * between). Lines from work shared by concurrent invocations (one credential load) carry whichever
 * context was applied last.
 *
 * @example
 * invocationLogger().warn('Serving cached value during outage', { parameter });
 * invocationLogger(request.context).error('meshgate invocation failed', { errorName });
 */
export function invocationLogger(context?: Context): Logger {
  if (context) {
    // The held context stays pending if it is another invocation's.
    if (context === heldContext) heldContext = undefined;
    applyContext(context);
  } else if (heldContext) {
    applyContext(heldContext);
    heldContext = undefined;
  }
  return logger;
}

function applyContext(context: Context): void {
  if (context === appliedContext) return;
  logger.addContext(context);
  appliedContext = context;
}
