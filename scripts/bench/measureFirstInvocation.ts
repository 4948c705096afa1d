import { BenchChild } from './benchChild.ts';
import type { LambdaRuntime } from './lambdaRuntime.ts';
import { median } from './median.ts';
import type { BenchMesh, IoCounters } from './startBenchMesh.ts';

const PROBE_SCRIPT = new URL('./probes/firstInvocationProbe.ts', import.meta.url).pathname;

/** Medians over fresh processes: what a new sandbox's first invocation spends, and where. */
export interface FirstInvocationResult {
  samples: number;
  importMs: number;
  totalMs: number;
  /** The same sandbox's second invocation, for contrast. */
  secondMs: number;
  phases: { ssmMs: number; tokenMs: number; handshakeMs: number; requestMs: number; inProcessMs: number };
  /** I/O of one first invocation as the mesh counted it (median over samples). */
  io: IoCounters;
  /**
   * The first invocation in order: each I/O step and the in-process stretch before it (median per
   * step); empty when the samples did not all take the same steps.
   */
  timeline: Array<{ label: string; ms: number }>;
}

interface ProbeResult {
  importMs: number;
  totalMs: number;
  secondMs: number;
  phases: FirstInvocationResult['phases'];
  timeline: FirstInvocationResult['timeline'];
}

/**
 * Starts a fresh process per sample, imports the invoker bundle and makes its first invocation
 * (and a second one); the child splits the first into SSM, token, handshake, request and the rest.
 *
 * @example
 * const first = await measureFirstInvocation(bench, { bundlePath, event, samples: 7, cpu: 1 });
 */
export async function measureFirstInvocation(
  bench: BenchMesh,
  options: { bundlePath: string; event: string; samples: number; cpu: number | undefined; runtime: LambdaRuntime; stdoutPath: string },
): Promise<FirstInvocationResult> {
  const results: ProbeResult[] = [];
  const io: IoCounters[] = [];
  for (let sample = 0; sample < options.samples; sample++) {
    const child = BenchChild.spawn(PROBE_SCRIPT, {
      env: { ...options.runtime.environment, ...bench.env },
      execArgv: options.runtime.v8Flags,
      stdoutPath: options.stdoutPath,
      cpu: options.cpu,
    });
    try {
      const before = bench.counters();
      results.push(
        await child.call<ProbeResult>('measure', {
          bundlePath: options.bundlePath,
          event: options.event,
          ingressUrl: bench.mesh.ingress.url,
          issuer: bench.mesh.idp.issuer,
        }),
      );
      const after = bench.counters();
      io.push({
        ssmCalls: after.ssmCalls - before.ssmCalls,
        tokenRequests: after.tokenRequests - before.tokenRequests,
        handshakes: after.handshakes - before.handshakes,
      });
    } finally {
      await child.close();
    }
  }
  const of = (pick: (result: ProbeResult) => number) => median(results.map(pick));
  return {
    samples: results.length,
    importMs: of((result) => result.importMs),
    totalMs: of((result) => result.totalMs),
    secondMs: of((result) => result.secondMs),
    phases: {
      ssmMs: of((result) => result.phases.ssmMs),
      tokenMs: of((result) => result.phases.tokenMs),
      handshakeMs: of((result) => result.phases.handshakeMs),
      requestMs: of((result) => result.phases.requestMs),
      inProcessMs: of((result) => result.phases.inProcessMs),
    },
    io: {
      ssmCalls: median(io.map((counts) => counts.ssmCalls)),
      tokenRequests: median(io.map((counts) => counts.tokenRequests)),
      handshakes: median(io.map((counts) => counts.handshakes)),
    },
    timeline: medianTimeline(results.map((result) => result.timeline)),
  };
}

function medianTimeline(timelines: Array<FirstInvocationResult['timeline']>): FirstInvocationResult['timeline'] {
  const [first] = timelines;
  const steps = (timeline: FirstInvocationResult['timeline']) => timeline.map((step) => step.label).join('\n');
  if (!first || timelines.some((timeline) => steps(timeline) !== steps(first))) return [];
  return first.map((step, index) => ({ label: step.label, ms: median(timelines.map((timeline) => timeline[index]!.ms)) }));
}
