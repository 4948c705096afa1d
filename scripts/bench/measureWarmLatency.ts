import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchChild } from './benchChild.ts';
import type { LambdaRuntime } from './lambdaRuntime.ts';
import { latencySummary, type LatencySummary } from './latencySummary.ts';
import { median } from './median.ts';
import { roundOrder } from './roundOrder.ts';
import { roundRatioSpread, type RatioSpread } from './roundRatioSpread.ts';
import type { BenchMesh, IoCounters } from './startBenchMesh.ts';
import type { VariantName } from './variants/benchVariant.ts';

const CLIENT_SCRIPT = new URL('./probes/warmClient.ts', import.meta.url).pathname;
const ORDER: readonly VariantName[] = ['floor', 'invoker', 'handRolled', 'floorAgain', 'floorWithRecord'];
/** The variants that write invocation records, each to a stdout file of its own. */
const RECORD_WRITERS: ReadonlySet<VariantName> = new Set(['invoker', 'floorWithRecord']);

/** One variant's warm latency and the I/O the mesh saw per timed call. */
export interface WarmVariantResult {
  name: VariantName;
  /** Over every sample of every sandbox of this variant. */
  latency: LatencySummary;
  /** p50 of each sandbox (process) of this variant alone, in spawn order: how much one process's luck moves it. */
  sandboxP50s: number[];
  /** Median time per call spent outside undici requests (the caller's own code), in µs. */
  outsideUndiciP50Us: number;
  /** CPU time (user + system) of the client process per timed call, in µs: less sensitive to scheduling noise than latency. */
  cpuPerCallUs: number;
  /** Per timed call: counted at the mesh, over all rounds of this variant. */
  ioPerCall: IoCounters;
}

export interface WarmResult {
  variants: WarmVariantResult[];
  rounds: number;
  warmupCalls: number;
  /** Processes per variant; each variant's calls are shared between them. */
  sandboxes: number;
  /** Invocation records (`meshgate invocation`) the invoker's sandboxes wrote to stdout, against their calls. */
  auditLines: number;
  /** The same, written by the floor with its record (one per call, warm-up included). */
  floorWithRecordLines: number;
  /**
   * p50 ÷ floor p50 in each round (all variants of a round ran back to back), and how it spread over
   * the rounds: the invoker's, and the A/A control's (floor again ÷ floor).
   */
  roundRatios: { p50VsFloor: RatioSpread; floorAgainP50VsFloor: RatioSpread };
  invokerCalls: number;
  /** Where the invoker's sandboxes' stdout went, one file each. */
  stdoutPaths: string[];
}

export interface WarmOptions {
  bundlePath: string;
  service: string;
  path: string;
  calls: number;
  rounds: number;
  warmupCalls: number;
  sandboxes: number;
  cpu: number | undefined;
  runtime: LambdaRuntime;
  outDir: string;
  log: (line: string) => void;
}

interface Batch {
  samples: number[];
  outsideUndici: number[];
  cpuMicros: number;
}

/** One measured process: a variant's sandbox number `index`, and what it timed, round by round. */
interface Sandbox {
  name: VariantName;
  index: number;
  child: BenchChild;
  stdoutPath: string;
  batches: Batch[];
}

/**
 * Each variant in `sandboxes` child processes of its own (a sandbox holds one function), all
 * started and warmed up first, then timed in rounds: each round runs every sandbox's share of the
 * calls in a shuffled order, so drift, noise and the after-effects of one variant land on all of
 * them alike. One child at a time is busy, on the same CPU. The mesh's counters are read around
 * each timed batch only.
 *
 * Several sandboxes per variant because one process is a biased yardstick on this VM: the same
 * floor in three processes differs by 3–7% at p50 over a whole run, as much as the effect being
 * measured, and processes started at about the same time tend to be fast or slow together. So
 * sandboxes are started interleaved (floor 1, invoker 1, …, floor 2, invoker 2, …) and pooled.
 *
 * @example
 * const warm = await measureWarmLatency(bench, { bundlePath, service: 'orders', path: '/v1/orders/7', calls: 2000, rounds: 20, sandboxes: 3, ... });
 */
export async function measureWarmLatency(bench: BenchMesh, options: WarmOptions): Promise<WarmResult> {
  const stdoutOf = (name: VariantName, index: number) =>
    RECORD_WRITERS.has(name) ? join(options.outDir, `warm-${name}-${index + 1}.stdout.log`) : '/dev/null';
  const sandboxes: Sandbox[] = [];
  const io = new Map<VariantName, IoCounters>(ORDER.map((name) => [name, { ssmCalls: 0, tokenRequests: 0, handshakes: 0 }]));
  try {
    for (let index = 0; index < options.sandboxes; index++) {
      for (const name of ORDER) {
        const stdoutPath = stdoutOf(name, index);
        const child = BenchChild.spawn(CLIENT_SCRIPT, {
          env: { ...options.runtime.environment, ...bench.env },
          execArgv: options.runtime.v8Flags,
          // Only the invoker and the floor with its record write to stdout (invocation records).
          stdoutPath,
          cpu: options.cpu,
        });
        sandboxes.push({ name, index, child, stdoutPath, batches: [] });
        await child.call('setup', { variant: name, bundlePath: options.bundlePath, service: options.service, path: options.path });
        await child.call('batch', { calls: options.warmupCalls });
      }
    }
    const perRound = splitEvenly(options.calls, options.rounds);
    for (const [round, calls] of perRound.entries()) {
      const perSandbox = splitEvenly(calls, options.sandboxes);
      for (const sandbox of roundOrder(round, sandboxes)) {
        const before = bench.counters();
        const batch = await sandbox.child.call<Batch>('batch', { calls: perSandbox[sandbox.index] ?? 0 });
        const after = bench.counters();
        sandbox.batches.push(batch);
        const total = io.get(sandbox.name)!;
        total.ssmCalls += after.ssmCalls - before.ssmCalls;
        total.tokenRequests += after.tokenRequests - before.tokenRequests;
        total.handshakes += after.handshakes - before.handshakes;
      }
      options.log(`  warm round ${round + 1}/${perRound.length} done`);
    }
  } finally {
    await Promise.all(sandboxes.map((sandbox) => sandbox.child.close()));
  }
  const of = (name: VariantName) => sandboxes.filter((sandbox) => sandbox.name === name);
  // Round r of a variant: the samples all its sandboxes timed in that round.
  const samplesByRound = (name: VariantName) =>
    Array.from({ length: options.rounds }, (_, round) => of(name).flatMap((sandbox) => sandbox.batches[round]?.samples ?? []));
  const recordsOf = async (name: VariantName) => {
    const counts = await Promise.all(of(name).map(async (sandbox) => countRecords(await readFile(sandbox.stdoutPath, 'utf8'))));
    return counts.reduce((sum, count) => sum + count, 0);
  };
  return {
    variants: ORDER.map((name) => {
      const all = of(name).flatMap((sandbox) => sandbox.batches);
      const samples = all.flatMap((batch) => batch.samples);
      const total = io.get(name)!;
      const calls = samples.length;
      return {
        name,
        latency: latencySummary(samples),
        sandboxP50s: of(name).map((sandbox) => latencySummary(sandbox.batches.flatMap((batch) => batch.samples)).p50),
        outsideUndiciP50Us: median(all.flatMap((batch) => batch.outsideUndici)) * 1000,
        cpuPerCallUs: all.reduce((sum, batch) => sum + batch.cpuMicros, 0) / calls,
        ioPerCall: { ssmCalls: total.ssmCalls / calls, tokenRequests: total.tokenRequests / calls, handshakes: total.handshakes / calls },
      };
    }),
    rounds: options.rounds,
    warmupCalls: options.warmupCalls,
    sandboxes: options.sandboxes,
    roundRatios: {
      p50VsFloor: roundRatioSpread(samplesByRound('invoker'), samplesByRound('floor')),
      floorAgainP50VsFloor: roundRatioSpread(samplesByRound('floorAgain'), samplesByRound('floor')),
    },
    auditLines: await recordsOf('invoker'),
    floorWithRecordLines: await recordsOf('floorWithRecord'),
    invokerCalls: options.sandboxes * options.warmupCalls + options.calls,
    stdoutPaths: of('invoker').map((sandbox) => sandbox.stdoutPath),
  };
}

function countRecords(stdout: string): number {
  return stdout.split('\n').filter((line) => line.includes('"message":"meshgate invocation"')).length;
}

function splitEvenly(total: number, parts: number): number[] {
  const count = Math.max(1, Math.min(parts, total));
  return Array.from({ length: count }, (_, index) => Math.floor(((index + 1) * total) / count) - Math.floor((index * total) / count));
}
