import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchChild } from './benchChild.ts';
import type { LambdaRuntime } from './lambdaRuntime.ts';
import { latencySummary, type LatencySummary } from './latencySummary.ts';
import { median } from './median.ts';
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
  latency: LatencySummary;
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
  /** Invocation records (`meshgate invocation`) the invoker wrote to stdout, against its calls. */
  auditLines: number;
  /** The same, written by the floor with its record (one per call, warm-up included). */
  floorWithRecordLines: number;
  /**
   * p50 ÷ floor p50 in each round (all variants of a round ran back to back), and how it spread over
   * the rounds: the invoker's, and the A/A control's (floor again ÷ floor).
   */
  roundRatios: { p50VsFloor: RatioSpread; floorAgainP50VsFloor: RatioSpread };
  invokerCalls: number;
  stdoutPath: string;
}

export interface WarmOptions {
  bundlePath: string;
  service: string;
  path: string;
  calls: number;
  rounds: number;
  warmupCalls: number;
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

/**
 * Each variant in a child process of its own (a sandbox holds one function), all started and
 * warmed up first, then timed in rounds: each round runs every variant's share of the calls, the
 * order changing from round to round, so drift and noise land on all of them alike. One child at
 * a time is busy, on the same CPU. The mesh's counters are read around each timed batch only.
 *
 * @example
 * const warm = await measureWarmLatency(bench, { bundlePath, service: 'orders', path: '/v1/orders/7', calls: 2000, rounds: 20, ... });
 */
export async function measureWarmLatency(bench: BenchMesh, options: WarmOptions): Promise<WarmResult> {
  const stdoutPath = join(options.outDir, 'warm-client.stdout.log');
  const stdoutOf = (name: VariantName) =>
    !RECORD_WRITERS.has(name) ? '/dev/null' : name === 'invoker' ? stdoutPath : join(options.outDir, `warm-${name}.stdout.log`);
  const children = new Map<VariantName, BenchChild>();
  const batches = new Map<VariantName, Batch[]>(ORDER.map((name) => [name, []]));
  const io = new Map<VariantName, IoCounters>(ORDER.map((name) => [name, { ssmCalls: 0, tokenRequests: 0, handshakes: 0 }]));
  try {
    for (const name of ORDER) {
      const child = BenchChild.spawn(CLIENT_SCRIPT, {
        env: { ...options.runtime.environment, ...bench.env },
        execArgv: options.runtime.v8Flags,
        // Only the invoker and the floor with its record write to stdout (invocation records).
        stdoutPath: stdoutOf(name),
        cpu: options.cpu,
      });
      children.set(name, child);
      await child.call('setup', { variant: name, bundlePath: options.bundlePath, service: options.service, path: options.path });
      await child.call('batch', { calls: options.warmupCalls });
    }
    const perRound = splitEvenly(options.calls, options.rounds);
    for (const [round, calls] of perRound.entries()) {
      for (const name of orderFor(round)) {
        const before = bench.counters();
        const batch = await children.get(name)!.call<Batch>('batch', { calls });
        const after = bench.counters();
        batches.get(name)!.push(batch);
        const total = io.get(name)!;
        total.ssmCalls += after.ssmCalls - before.ssmCalls;
        total.tokenRequests += after.tokenRequests - before.tokenRequests;
        total.handshakes += after.handshakes - before.handshakes;
      }
      options.log(`  warm round ${round + 1}/${perRound.length} done`);
    }
  } finally {
    await Promise.all([...children.values()].map((child) => child.close()));
  }
  const stdout = await readFile(stdoutPath, 'utf8');
  const samplesByRound = (name: VariantName) => batches.get(name)!.map((batch) => batch.samples);
  return {
    variants: ORDER.map((name) => {
      const all = batches.get(name)!;
      const samples = all.flatMap((batch) => batch.samples);
      const total = io.get(name)!;
      const calls = samples.length;
      return {
        name,
        latency: latencySummary(samples),
        outsideUndiciP50Us: median(all.flatMap((batch) => batch.outsideUndici)) * 1000,
        cpuPerCallUs: all.reduce((sum, batch) => sum + batch.cpuMicros, 0) / calls,
        ioPerCall: { ssmCalls: total.ssmCalls / calls, tokenRequests: total.tokenRequests / calls, handshakes: total.handshakes / calls },
      };
    }),
    rounds: options.rounds,
    warmupCalls: options.warmupCalls,
    roundRatios: {
      p50VsFloor: roundRatioSpread(samplesByRound('invoker'), samplesByRound('floor')),
      floorAgainP50VsFloor: roundRatioSpread(samplesByRound('floorAgain'), samplesByRound('floor')),
    },
    auditLines: countRecords(stdout),
    floorWithRecordLines: countRecords(await readFile(stdoutOf('floorWithRecord'), 'utf8')),
    invokerCalls: options.warmupCalls + options.calls,
    stdoutPath,
  };
}

function countRecords(stdout: string): number {
  return stdout.split('\n').filter((line) => line.includes('"message":"meshgate invocation"')).length;
}

function splitEvenly(total: number, parts: number): number[] {
  const count = Math.max(1, Math.min(parts, total));
  return Array.from({ length: count }, (_, index) => Math.floor(((index + 1) * total) / count) - Math.floor((index * total) / count));
}

/** Round r: the variants rotated by r, reversed every other cycle, so each follows each of the others. */
function orderFor(round: number): VariantName[] {
  const shift = round % ORDER.length;
  const rotated = [...ORDER.slice(shift), ...ORDER.slice(0, shift)];
  return Math.floor(round / ORDER.length) % 2 === 0 ? rotated : rotated.reverse();
}
