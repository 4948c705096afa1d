import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { lambdaContext } from '../../../test/support/lambdaContext.ts';
import { amznTraceId } from '../amznTraceId.ts';
import type { BenchRoute, BenchVariant } from './benchVariant.ts';

type Handler = (event: unknown, context: Context) => Promise<{ status: number }>;

/** The task every invoker call carries: a GET of the benchmark path on the `orders` service. */
export function benchTask(service: string, route: Pick<BenchRoute, 'path'>): string {
  return JSON.stringify({ service, method: 'GET', path: route.path });
}

/**
 * The invoker's bundle (what `sam build` deploys), imported once as the Lambda runtime does and
 * called with a freshly parsed event, a new context and a new `_X_AMZN_TRACE_ID` per call, as the
 * runtime passes them (outside the timed region).
 *
 * @example
 * const invoker = await invokerVariant('dist/http-invoker/index.mjs', 'orders', route);
 */
export async function invokerVariant(
  bundlePath: string,
  service: string,
  route: Pick<BenchRoute, 'path'>,
  { quiet = false }: { quiet?: boolean } = {},
): Promise<BenchVariant<{ event: unknown; context: Context }>> {
  const handler = quiet ? await importQuietly(bundlePath) : await importHandler(pathToFileURL(bundlePath).href);
  const event = benchTask(service, route);
  return {
    name: quiet ? 'invokerQuiet' : 'invoker',
    prepare() {
      process.env._X_AMZN_TRACE_ID = amznTraceId();
      return { event: JSON.parse(event), context: lambdaContext() };
    },
    async run({ event: parsed, context }) {
      const output = await handler(parsed, context);
      return output.status;
    },
    close: async () => undefined,
  };
}

async function importHandler(href: string): Promise<Handler> {
  return ((await import(href)) as { handler: Handler }).handler;
}

/**
 * A second, separate instance of the bundle (another URL is another module) whose Powertools
 * Logger and Metrics are built while logging and metrics are switched off: they read these
 * settings when constructed, so the first instance keeps logging.
 */
async function importQuietly(bundlePath: string): Promise<Handler> {
  // Lambda's log level (AWS_LAMBDA_LOG_LEVEL) would override Powertools' own.
  const quiet: Record<string, string | undefined> = { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true', AWS_LAMBDA_LOG_LEVEL: undefined };
  const saved = Object.fromEntries(Object.keys(quiet).map((name) => [name, process.env[name]]));
  for (const [name, value] of Object.entries(quiet)) restore(name, value);
  try {
    return await importHandler(`${pathToFileURL(bundlePath).href}?instance=quiet`);
  } finally {
    for (const [name, value] of Object.entries(saved)) restore(name, value);
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
