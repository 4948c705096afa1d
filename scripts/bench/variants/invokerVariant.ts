import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { tracedInvocationContext } from '../tracedInvocationContext.ts';
import type { BenchRoute, BenchVariant } from './benchVariant.ts';

type Handler = (event: unknown, context: Context) => Promise<{ status: number }>;

/** The task every invoker call carries: a GET of the benchmark path on the `orders` service. */
export function benchTask(service: string, route: Pick<BenchRoute, 'path'>): string {
  return JSON.stringify({ service, method: 'GET', path: route.path });
}

/**
 * The invoker's bundle (what `sam build` deploys), imported once as the Lambda runtime does and
 * called with a freshly parsed event and a new context carrying a new X-Ray trace header per call
 * (also in `_X_AMZN_TRACE_ID`), as the runtime passes them (outside the timed region).
 *
 * @example
 * const invoker = await invokerVariant('dist/http-invoker/index.mjs', 'orders', route);
 */
export async function invokerVariant(
  bundlePath: string,
  service: string,
  route: Pick<BenchRoute, 'path'>,
): Promise<BenchVariant<{ event: unknown; context: Context }>> {
  const handler = ((await import(pathToFileURL(bundlePath).href)) as { handler: Handler }).handler;
  const event = benchTask(service, route);
  return {
    name: 'invoker',
    prepare() {
      return { event: JSON.parse(event), context: tracedInvocationContext() };
    },
    async run({ event: parsed, context }) {
      const output = await handler(parsed, context);
      return output.status;
    },
    close: async () => undefined,
  };
}
