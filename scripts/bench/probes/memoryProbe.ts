/**
 * Child process for the memory run (started with --expose-gc): imports the invoker bundle and
 * makes warm invocations, recording memory after a full GC at each checkpoint.
 *
 * Before that it formats one stack trace through the bundle, as the runtime does for the first
 * failed invocation (and Node's streams do for any socket destroyed with an error): under
 * `--enable-source-maps` that decodes the bundle's source map once per process, a one-time cost
 * measured on its own rather than mistaken for growth.
 */
import { pathToFileURL } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import { tracedInvocationContext } from '../tracedInvocationContext.ts';
import { serveBenchCommands } from '../serveBenchCommands.ts';

type Handler = (event: unknown, context: unknown) => Promise<{ status: number }>;

const gc = (globalThis as { gc?: () => void }).gc;

serveBenchCommands({
  async run({ bundlePath, event, checkpoints }: { bundlePath: string; event: string; checkpoints: number[] }) {
    if (!gc) throw new Error('memoryProbe needs node --expose-gc');
    const { handler } = (await import(pathToFileURL(bundlePath).href)) as { handler: Handler };
    const firstStackTrace = await measureFirstStackTrace(handler, gc);
    const last = Math.max(...checkpoints);
    const samples: Array<{ calls: number; rssBytes: number; heapUsedBytes: number; externalBytes: number; youngGenerationBytes: number }> = [];
    for (let calls = 1; calls <= last; calls++) {
      const output = await handler(JSON.parse(event), tracedInvocationContext());
      if (output.status !== 200) throw new Error(`call ${calls} answered ${output.status}`);
      if (checkpoints.includes(calls)) {
        // Twice: the first pass can leave finalizer-held objects for the second.
        gc();
        gc();
        const usage = process.memoryUsage();
        // The young generation's pages in memory: they are first touched as allocation sweeps through
        // the semi-spaces (their size capped by --max-semi-space-size), which is most of the early RSS rise.
        const youngGenerationBytes = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.physical_space_size ?? 0;
        samples.push({ calls, rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, externalBytes: usage.external, youngGenerationBytes });
      }
    }
    return { samples, firstStackTrace };
  },
});

/** Time and heap of formatting the first stack trace that runs through the bundle (a Mesh.InvalidTask thrown inside it). */
async function measureFirstStackTrace(handler: Handler, collect: () => void): Promise<{ ms: number; heapBytes: number }> {
  let failure: Error | undefined;
  try {
    await handler({}, tracedInvocationContext());
  } catch (error) {
    failure = error as Error;
  }
  if (!failure) throw new Error('an empty task should have failed');
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  void failure.stack;
  const ms = performance.now() - started;
  collect();
  return { ms, heapBytes: process.memoryUsage().heapUsed - heapBefore };
}

