import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { defaultBenchOptions, type BenchOptions } from './benchOptions.ts';
import type { BenchReport } from './benchReport.ts';
import { buildBenchBundles } from './buildBenchBundles.ts';
import { placeCpus } from './cpuPlacement.ts';
import { evaluateTargets } from './evaluateTargets.ts';
import { lambdaRuntime } from './lambdaRuntime.ts';
import { measureFirstInvocation } from './measureFirstInvocation.ts';
import { measureImportTimes } from './measureImportTimes.ts';
import { measureMemory } from './measureMemory.ts';
import { measureWarmLatency } from './measureWarmLatency.ts';
import { repoRoot } from './repoRoot.ts';
import { startBenchMesh } from './startBenchMesh.ts';
import { benchTask } from './variants/invokerVariant.ts';

/** The call every variant makes: GET of one order on the `orders` service (identity `default`, private_key_jwt). */
const SERVICE = 'orders';
const PATH = '/v1/orders/7';

/**
 * The whole benchmark: bundles and import times, then on the local mesh the warm latency of the
 * floor, the invoker and a hand-rolled handler (interleaved rounds, I/O counted at the mesh), the
 * first invocation of fresh sandboxes, and memory over many warm calls. Returns the report.
 *
 * @example
 * const report = await runBench({ calls: 2000 });
 */
export async function runBench(overrides: Partial<BenchOptions> = {}): Promise<BenchReport> {
  const options: BenchOptions = { ...defaultBenchOptions, ...overrides };
  if (options.calls < options.rounds * options.sandboxes) {
    throw new Error(`--calls (${options.calls}) must be at least --rounds × --sandboxes (${options.rounds * options.sandboxes}): every sandbox times calls in every round`);
  }
  const started = performance.now();
  const startedAt = new Date().toISOString();
  await mkdir(options.outDir, { recursive: true });
  const cpus = availableParallelism();
  const runtime = await lambdaRuntime();
  // Before anything is started, so the mesh's children (moto_server) inherit the placement.
  const placement = placeCpus(options.pinCpus);
  options.log(`CPU placement: ${placement.note}`);

  options.log('Building invoker bundles and their dependency-only bundles…');
  const bundles = await buildBenchBundles(options.outDir);
  const http = bundles.find((bundle) => bundle.name === 'http-invoker');
  if (!http) throw new Error('functions/http-invoker/index.ts did not build');

  options.log(`Import times: ${options.importSamples} fresh processes per bundle…`);
  const importTimes = await measureImportTimes(bundles, { samples: options.importSamples, cpu: placement.client, runtime });

  options.log('Starting the local mesh…');
  const bench = await startBenchMesh();
  try {
    const event = benchTask(SERVICE, { path: PATH });
    options.log(`Warm latency: ${options.calls} calls per variant, ${options.sandboxes} sandboxes each, in ${options.rounds} rounds…`);
    const warm = await measureWarmLatency(bench, {
      bundlePath: http.bundlePath,
      service: SERVICE,
      path: PATH,
      calls: options.calls,
      rounds: options.rounds,
      warmupCalls: options.warmupCalls,
      sandboxes: options.sandboxes,
      cpu: placement.client,
      runtime,
      outDir: options.outDir,
      log: options.log,
    });
    options.log(`First invocation: ${options.coldSamples} fresh processes…`);
    const firstInvocation = await measureFirstInvocation(bench, {
      bundlePath: http.bundlePath,
      event,
      samples: options.coldSamples,
      cpu: placement.client,
      runtime,
      stdoutPath: join(options.outDir, 'first-invocation.stdout.log'),
    });
    options.log(`Memory: ${options.memoryCalls} warm calls in a fresh process…`);
    const memory = await measureMemory(bench.env, {
      bundlePath: http.bundlePath,
      event,
      baselineCalls: options.memoryBaselineCalls,
      calls: options.memoryCalls,
      cpu: placement.client,
      runtime,
      stdoutPath: join(options.outDir, 'memory.stdout.log'),
    });

    const latency = (name: string) => warm.variants.find((variant) => variant.name === name)!.latency;
    const floor = latency('floor');
    const invoker = latency('invoker');
    const handRolled = latency('handRolled');
    const floorWithRecord = latency('floorWithRecord');
    const partial: Omit<BenchReport, 'targets' | 'durationMs'> = {
      startedAt,
      node: process.version,
      cpus,
      placement,
      runtime,
      settings: {
        calls: options.calls,
        rounds: options.rounds,
        warmupCalls: options.warmupCalls,
        sandboxes: options.sandboxes,
        importSamples: options.importSamples,
        coldSamples: options.coldSamples,
        memoryCalls: options.memoryCalls,
        memoryBaselineCalls: options.memoryBaselineCalls,
      },
      route: { service: SERVICE, method: 'GET', path: PATH, authority: bench.mesh.catalog.services[SERVICE]!.authority },
      bundles: bundles.map(({ name, bytes, ownBytes, dependenciesBytes, external }) => ({ name, bytes, ownBytes, dependenciesBytes, external })),
      importTimes,
      warm: {
        ...warm,
        stdoutPaths: warm.stdoutPaths.map((path) => relative(repoRoot, path)),
        ratios: {
          p50VsFloor: invoker.p50 / floor.p50,
          p95VsFloor: invoker.p95 / floor.p95,
          p99VsFloor: invoker.p99 / floor.p99,
          p50VsHandRolled: invoker.p50 / handRolled.p50,
          p95VsHandRolled: invoker.p95 / handRolled.p95,
          floorAgainP50VsFloor: latency('floorAgain').p50 / floor.p50,
          floorWithRecordP50VsFloor: floorWithRecord.p50 / floor.p50,
          p50VsFloorWithRecord: invoker.p50 / floorWithRecord.p50,
        },
      },
      firstInvocation,
      memory,
    };
    return { ...partial, targets: evaluateTargets(partial), durationMs: Math.round(performance.now() - started) };
  } finally {
    await bench.stop();
  }
}
