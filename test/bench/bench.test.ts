import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../../scripts/bench/benchReport.ts';
import { formatBenchReport } from '../../scripts/bench/formatBenchReport.ts';
import { repoRoot } from '../../scripts/bench/repoRoot.ts';
import { runBench } from '../../scripts/bench/runBench.ts';
import { findSecrets } from '../support/findSecrets.ts';

// A smoke test of the harness with tiny counts: every stage runs and reports what it counted.
// It asserts no timings (those belong to `npm run bench` on a quiet machine), only what is
// deterministic: the I/O counted at the mesh, the audit lines, the shape of the report.
describe('Function: runBench', () => {
  const outDir = join(repoRoot, 'bench-results', `smoke-${process.pid}`);
  const calls = 8;
  let report: BenchReport;

  beforeAll(async () => {
    report = await runBench({
      calls,
      rounds: 2,
      warmupCalls: 2,
      sandboxes: 2,
      importSamples: 1,
      coldSamples: 1,
      memoryCalls: 20,
      memoryBaselineCalls: 5,
      // Other test files run on the same CPUs: no pinning here.
      pinCpus: false,
      outDir,
    });
  }, 60_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('times every variant the requested number of times, warm invoker calls doing no SSM, token or TLS I/O', () => {
    expect(report.warm.variants.map((variant) => [variant.name, variant.latency.count])).toEqual([
      ['floor', calls],
      ['invoker', calls],
      ['handRolled', calls],
      ['floorAgain', calls],
      ['floorWithRecord', calls],
    ]);
    const io = Object.fromEntries(report.warm.variants.map((variant) => [variant.name, variant.ioPerCall]));
    expect(io.floor).toEqual({ ssmCalls: 0, tokenRequests: 0, handshakes: 0 });
    expect(io.invoker).toEqual({ ssmCalls: 0, tokenRequests: 0, handshakes: 0 });
    expect(io.floorAgain).toEqual({ ssmCalls: 0, tokenRequests: 0, handshakes: 0 });
    expect(io.floorWithRecord).toEqual({ ssmCalls: 0, tokenRequests: 0, handshakes: 0 });
    // The hand-rolled handler reads SSM and opens a connection on every call: the counters can see I/O.
    expect(io.handRolled).toEqual({ ssmCalls: 1, tokenRequests: 0, handshakes: 1 });
  });

  it('shares each variant\'s calls between its sandboxes and reports each one\'s p50', () => {
    expect(report.warm.sandboxes).toBe(2);
    for (const variant of report.warm.variants) {
      expect(variant.sandboxP50s).toHaveLength(2);
      expect(variant.sandboxP50s.every((p50) => p50 > 0)).toBe(true);
    }
    expect(report.warm.stdoutPaths).toEqual(['invoker-1', 'invoker-2'].map((sandbox) => expect.stringContaining(`warm-${sandbox}.stdout.log`)));
    expect(formatBenchReport(report)).toMatch(/^p50 of each sandbox alone \(ms\): floor \d\.\d{3} \/ \d\.\d{3}; invoker /m);
  });

  it('pairs the invoker with the floor round by round', () => {
    expect(report.warm.roundRatios.p50VsFloor.rounds).toBe(2);
    const { min, q1, median, q3, max } = report.warm.roundRatios.p50VsFloor;
    expect([min, q1, median, q3, max].every((value) => value > 0)).toBe(true);
    expect(min <= median && median <= max).toBe(true);
    expect(formatBenchReport(report)).toContain('invoker ÷ floor at p50, round by round (2 rounds)');
  });

  it('keeps the invocation record: one per invoker invocation, and one per call of the floor with its record', () => {
    // Two sandboxes each: both warm up.
    expect(report.warm.invokerCalls).toBe(2 * 2 + calls);
    expect(report.warm.auditLines).toBe(report.warm.invokerCalls);
    expect(report.warm.floorWithRecordLines).toBe(2 * 2 + calls);
  });

  it('reports the references: the A/A control and the floor with its record, against the floor', () => {
    const { floorAgainP50VsFloor, floorWithRecordP50VsFloor, p50VsFloorWithRecord } = report.warm.ratios;
    for (const ratio of [floorAgainP50VsFloor, floorWithRecordP50VsFloor, p50VsFloorWithRecord]) expect(ratio).toBeGreaterThan(0);
    expect(report.warm.roundRatios.floorAgainP50VsFloor.rounds).toBe(2);
    expect(formatBenchReport(report)).toMatch(/^references at p50: floor again ÷ floor \d\.\d\d× \(A\/A/m);
  });

  it('counts a first invocation at the mesh: two SSM calls, one token request, one handshake', () => {
    expect(report.firstInvocation.samples).toBe(1);
    expect(report.firstInvocation.io).toEqual({ ssmCalls: 2, tokenRequests: 1, handshakes: 1 });
    for (const value of Object.values(report.firstInvocation.phases).slice(0, 4)) expect(value).toBeGreaterThan(0);
  });

  it('builds each invoker and its dependencies-only bundle, and times their import', () => {
    expect(report.bundles.map((bundle) => bundle.name)).toContain('http-invoker');
    for (const bundle of report.bundles) {
      expect(bundle.ownBytes).toBeGreaterThan(0);
      expect(bundle.dependenciesBytes).toBeGreaterThan(0);
      expect(bundle.bytes).toBeGreaterThan(bundle.ownBytes);
    }
    expect(report.importTimes.map((time) => time.name).sort()).toEqual(report.bundles.map((bundle) => bundle.name).sort());
  });

  it('reads memory at the baseline and at the end, in a process started with Lambda heap flags', () => {
    expect(report.memory.checkpoints.map((point) => point.calls)).toEqual(expect.arrayContaining([5, 20]));
    expect(report.memory.v8Flags).toEqual(['--max-semi-space-size=25', '--max-old-space-size=461']);
    expect(report.memory.firstStackTrace.ms).toBeGreaterThan(0);
  });

  it('prints the tables and every target, and leaks no secret in its report or the invoker output it kept', async () => {
    const text = formatBenchReport(report);
    expect(text).toMatch(/^Warm invocations: 8 timed calls per variant in 2 interleaved rounds, shared by 2 sandboxes \(processes\) per variant/m);
    expect(text).toContain('Targets');
    expect(report.targets.length).toBeGreaterThanOrEqual(9);
    const stdout = (await Promise.all(report.warm.stdoutPaths.map((path) => readFile(join(repoRoot, path), 'utf8')))).join('');
    expect(findSecrets(`${JSON.stringify(report)}\n${text}\n${stdout}`)).toEqual([]);
  });
});
