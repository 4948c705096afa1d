/**
 * Child process for the memory run (started with --expose-gc): imports the invoker bundle and
 * makes warm invocations, recording memory after a full GC at each checkpoint.
 */
import { pathToFileURL } from 'node:url';
import { lambdaContext } from '../../../test/support/lambdaContext.ts';
import { amznTraceId } from '../amznTraceId.ts';
import { serveBenchCommands } from '../serveBenchCommands.ts';

type Handler = (event: unknown, context: unknown) => Promise<{ status: number }>;

const gc = (globalThis as { gc?: () => void }).gc;

serveBenchCommands({
  async run({ bundlePath, event, checkpoints }: { bundlePath: string; event: string; checkpoints: number[] }) {
    if (!gc) throw new Error('memoryProbe needs node --expose-gc');
    const { handler } = (await import(pathToFileURL(bundlePath).href)) as { handler: Handler };
    const last = Math.max(...checkpoints);
    const samples: Array<{ calls: number; rssBytes: number; heapUsedBytes: number; externalBytes: number }> = [];
    for (let calls = 1; calls <= last; calls++) {
      const output = await handler(JSON.parse(event), withTrace(lambdaContext()));
      if (output.status !== 200) throw new Error(`call ${calls} answered ${output.status}`);
      if (checkpoints.includes(calls)) {
        // Twice: the first pass can leave finalizer-held objects for the second.
        gc();
        gc();
        const usage = process.memoryUsage();
        samples.push({ calls, rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, externalBytes: usage.external });
      }
    }
    return samples;
  },
});

/** What the Lambda runtime does before each invocation when tracing is active. */
function withTrace<T>(context: T): T {
  process.env._X_AMZN_TRACE_ID = amznTraceId();
  return context;
}
