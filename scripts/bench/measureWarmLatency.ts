import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchChild } from './benchChild.ts';
import { latencySummary, type LatencySummary } from './latencySummary.ts';
import type { BenchMesh, IoCounters } from './startBenchMesh.ts';
import type { VariantName } from './variants/benchVariant.ts';

const CLIENT_SCRIPT = new URL('./probes/warmClient.ts', import.meta.url).pathname;
const ORDER: readonly VariantName[] = ['floor', 'invoker', 'handRolled'];

/** One variant's warm latency and the I/O the mesh saw per timed call. */
export interface WarmVariantResult {
  name: VariantName;
  latency: LatencySummary;
  /** Per timed call: counted at the mesh, over all rounds of this variant. */
  ioPerCall: IoCounters;
  /** CPU time (user + system) of the client process per timed call, in µs: less sensitive to scheduling noise than latency. */
  cpuPerCallUs: number;
}

export interface WarmResult {
  variants: WarmVariantResult[];
  rounds: number;
  warmupCalls: number;
  /** Audit lines (`meshgate invocation`) the invoker wrote to stdout, against its calls. */
  auditLines: number;
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
  outDir: string;
  log: (line: string) => void;
}

/**
 * The three variants in one child process, warmed up, then timed in rounds: each round runs
 * every variant's share of the calls, the order permuted from round to round, so drift and noise
 * land on all of them alike. Counters are read around each timed batch only.
 *
 * @example
 * const warm = await measureWarmLatency(bench, { bundlePath, service: 'orders', path: '/v1/orders/7', calls: 2000, rounds: 20, ... });
 */
export async function measureWarmLatency(bench: BenchMesh, options: WarmOptions): Promise<WarmResult> {
  const stdoutPath = join(options.outDir, 'warm-client.stdout.log');
  const child = BenchChild.spawn(CLIENT_SCRIPT, { env: bench.env, stdoutPath, cpu: options.cpu });
  const samples = new Map<VariantName, number[]>(ORDER.map((name) => [name, []]));
  const io = new Map<VariantName, IoCounters>(ORDER.map((name) => [name, { ssmCalls: 0, tokenRequests: 0, handshakes: 0 }]));
  const cpuMicros = new Map<VariantName, number>(ORDER.map((name) => [name, 0]));
  try {
    await child.call('setup', { bundlePath: options.bundlePath, service: options.service, path: options.path });
    for (const name of ORDER) await child.call('batch', { variant: name, calls: options.warmupCalls });
    const perRound = splitEvenly(options.calls, options.rounds);
    for (const [round, calls] of perRound.entries()) {
      for (const name of permutation(round)) {
        const before = bench.counters();
        const batch = await child.call<{ samples: number[]; cpuMicros: number }>('batch', { variant: name, calls });
        const after = bench.counters();
        samples.get(name)!.push(...batch.samples);
        cpuMicros.set(name, cpuMicros.get(name)! + batch.cpuMicros);
        const total = io.get(name)!;
        total.ssmCalls += after.ssmCalls - before.ssmCalls;
        total.tokenRequests += after.tokenRequests - before.tokenRequests;
        total.handshakes += after.handshakes - before.handshakes;
      }
      options.log(`  warm round ${round + 1}/${perRound.length} done`);
    }
  } finally {
    await child.close();
  }
  const stdout = await readFile(stdoutPath, 'utf8');
  return {
    variants: ORDER.map((name) => {
      const calls = samples.get(name)!.length;
      const total = io.get(name)!;
      return {
        name,
        latency: latencySummary(samples.get(name)!),
        ioPerCall: { ssmCalls: total.ssmCalls / calls, tokenRequests: total.tokenRequests / calls, handshakes: total.handshakes / calls },
        cpuPerCallUs: cpuMicros.get(name)! / calls,
      };
    }),
    rounds: options.rounds,
    warmupCalls: options.warmupCalls,
    auditLines: stdout.split('\n').filter((line) => line.includes('"message":"meshgate invocation"')).length,
    invokerCalls: options.warmupCalls + options.calls,
    stdoutPath,
  };
}

function splitEvenly(total: number, parts: number): number[] {
  const count = Math.max(1, Math.min(parts, total));
  return Array.from({ length: count }, (_, index) => Math.floor(((index + 1) * total) / count) - Math.floor((index * total) / count));
}

/** The six orders of the three variants, in turn. */
function permutation(round: number): VariantName[] {
  const [a, b, c] = ORDER as [VariantName, VariantName, VariantName];
  const all: VariantName[][] = [[a, b, c], [b, c, a], [c, a, b], [a, c, b], [c, b, a], [b, a, c]];
  return all[round % all.length]!;
}
