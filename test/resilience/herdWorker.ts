/**
 * A worker thread hosting several cold Lambda sandboxes for the thundering-herd test. Each
 * sandbox is its own instance of the invoker bundle (imported under its own URL), so it has its
 * own caches, SSM client, token cache and connection pools, as separate Lambda sandboxes do.
 * Protocol: workerData `{ bundleUrl, ids }`; posts `ready` once every sandbox is initialised
 * (Lambda's init phase); on `{ type: 'go', task, timeoutMs }` invokes every sandbox at once and
 * posts `done` with one result per sandbox.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lambdaContext } from '../support/lambdaContext.ts';

type Handler = (event: unknown, context: unknown) => Promise<{ meta?: { attempts?: number } }>;

export interface HerdWorkerData {
  bundleUrl: string;
  ids: number[];
}

export interface HerdResult {
  id: number;
  ok: boolean;
  error?: string;
  attempts?: number;
  durationMs: number;
}

export type HerdMessage =
  | { type: 'ready'; initMs: number; heapUsedBytes: number }
  | { type: 'done'; results: HerdResult[] };

const { bundleUrl, ids } = workerData as HerdWorkerData;
const port = parentPort!;

const initStarted = performance.now();
const handlers: Array<{ id: number; handler: Handler }> = [];
for (const id of ids) {
  const module = (await import(`${bundleUrl}?sandbox=${id}`)) as { handler: Handler };
  handlers.push({ id, handler: module.handler });
}
port.postMessage({ type: 'ready', initMs: performance.now() - initStarted, heapUsedBytes: process.memoryUsage().heapUsed } satisfies HerdMessage);

port.once('message', async (message: { type: 'go'; task: unknown; timeoutMs: number }) => {
  const results = await Promise.all(
    handlers.map(async ({ id, handler }): Promise<HerdResult> => {
      const started = performance.now();
      try {
        const output = await handler(structuredClone(message.task), lambdaContext(message.timeoutMs));
        return { id, ok: true, attempts: output.meta?.attempts, durationMs: performance.now() - started };
      } catch (error) {
        // Only the error's name and message (one line of JSON, secrets removed by the invoker).
        return { id, ok: false, error: `${(error as Error).name}: ${(error as Error).message}`, durationMs: performance.now() - started };
      }
    }),
  );
  port.postMessage({ type: 'done', results } satisfies HerdMessage);
  // Exit from inside (not terminate()), so everything written to stdout reaches the parent first;
  // the sandboxes' keep-alive sockets would otherwise keep the thread alive.
  process.exit(0);
});
