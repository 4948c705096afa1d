import type { BenchReport } from './benchReport.ts';
import { formatTable } from './formatTable.ts';

const LABELS: Record<string, string> = {
  floor: 'floor: raw undici, open mTLS connection, same headers',
  invoker: 'meshgate HttpInvoker (bundle)',
  handRolled: 'hand-rolled: SSM + new connection per call',
  floorAgain: 'reference: the floor again (A/A control)',
  floorWithRecord: 'reference: floor + invocation record',
};

const ms = (value: number) => value.toFixed(2);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const x = (value: number) => `${value.toFixed(2)}×`;
const percent = (share: number) => `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)}%`;
const perCall = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(3));

/**
 * The report as the tables `npm run bench` prints (and the README's Performance section quotes).
 *
 * @example
 * console.log(formatBenchReport(report));
 */
export function formatBenchReport(report: BenchReport): string {
  const { warm, firstInvocation: first, memory, settings } = report;
  const out: string[] = [];
  out.push(`meshgate benchmark, ${report.startedAt}, Node.js ${report.node}, ${report.cpus} CPUs; ${report.placement.note}`);
  out.push(`Route: ${report.route.method} ${report.route.path} on service "${report.route.service}" (${report.route.authority}), HTTP/2 over mTLS through the local ingress`);
  out.push(`Measured processes run as Lambda starts them for ${report.runtime.memoryMb} MB: NODE_OPTIONS=${report.runtime.nodeOptions || '(none)'} ${report.runtime.v8Flags.join(' ')}`);

  out.push(
    '',
    `Warm invocations: ${settings.calls} timed calls per variant in ${warm.rounds} interleaved rounds, ` +
      `shared by ${warm.sandboxes} sandbox${warm.sandboxes === 1 ? '' : 'es'} (processes) per variant after ${warm.warmupCalls} warm-up calls each`,
  );
  out.push(
    formatTable(
      ['variant', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms', 'outside undici µs p50', 'client CPU µs/call', 'SSM calls/call', 'token requests/call', 'TLS handshakes/call'],
      warm.variants.map((variant) => [
        LABELS[variant.name] ?? variant.name,
        ms(variant.latency.p50),
        ms(variant.latency.p95),
        ms(variant.latency.p99),
        ms(variant.latency.mean),
        variant.outsideUndiciP50Us.toFixed(0),
        variant.cpuPerCallUs.toFixed(0),
        perCall(variant.ioPerCall.ssmCalls),
        perCall(variant.ioPerCall.tokenRequests),
        perCall(variant.ioPerCall.handshakes),
      ]),
    ),
  );
  out.push(
    `invoker ÷ floor: p50 ${x(warm.ratios.p50VsFloor)}, p95 ${x(warm.ratios.p95VsFloor)}, p99 ${x(warm.ratios.p99VsFloor)}; ` +
      `invoker ÷ hand-rolled: p50 ${x(warm.ratios.p50VsHandRolled)}, p95 ${x(warm.ratios.p95VsHandRolled)}`,
  );
  const spread = warm.roundRatios.p50VsFloor;
  out.push(
    `invoker ÷ floor at p50, round by round (${spread.rounds} rounds): median ${x(spread.median)}, ` +
      `quartiles ${x(spread.q1)}–${x(spread.q3)}, range ${x(spread.min)}–${x(spread.max)}`,
  );
  const aa = warm.roundRatios.floorAgainP50VsFloor;
  out.push(
    `references at p50: floor again ÷ floor ${x(warm.ratios.floorAgainP50VsFloor)} (A/A: this run's noise; round by round ${x(aa.q1)}–${x(aa.q3)}), ` +
      `floor + record ÷ floor ${x(warm.ratios.floorWithRecordP50VsFloor)} (the audit line alone), invoker ÷ (floor + record) ${x(warm.ratios.p50VsFloorWithRecord)}`,
  );
  out.push(
    `p50 of each sandbox alone (ms): ` +
      warm.variants.map((variant) => `${variant.name} ${variant.sandboxP50s.map((p50) => p50.toFixed(3)).join(' / ')}`).join('; '),
  );
  out.push(`Invocation records written by the invoker: ${warm.auditLines} for ${warm.invokerCalls} invocations (stdout → ${warm.stdoutPaths.join(', ')})`);

  out.push('', `Cold start: bundles (scripts/build.ts) and import time (median of ${settings.importSamples} fresh processes each)`);
  out.push(
    formatTable(
      ['invoker', 'bundle KB', 'own code KB', 'external', 'import ms', 'dependencies alone: KB', 'ms', 'own code adds: wall', 'CPU'],
      report.bundles.map((bundle) => {
        const time = report.importTimes.find((candidate) => candidate.name === bundle.name)!;
        return [
          bundle.name,
          kb(bundle.bytes),
          kb(bundle.ownBytes),
          bundle.external.length ? bundle.external.join(' ') : 'none',
          ms(time.invokerMs),
          kb(bundle.dependenciesBytes),
          ms(time.dependenciesMs),
          percent(time.ownShare),
          percent(time.ownShareCpu),
        ];
      }),
    ),
  );

  const phases = first.phases;
  out.push('', `First invocation of a new sandbox (http-invoker; median of ${first.samples} fresh processes, after an import of ${ms(first.importMs)} ms)`);
  out.push(
    formatTable(
      ['phase', 'ms'],
      [
        ['SSM (GetParameters: catalog, then identity + CA)', ms(phases.ssmMs)],
        ['token (discovery + client_credentials)', ms(phases.tokenMs)],
        ['TLS handshake with the ingress', ms(phases.handshakeMs)],
        ['request over the new connection', ms(phases.requestMs)],
        ['in-process (SDK set-up, key checks, JWT signing, parsing)', ms(phases.inProcessMs)],
        ['total first invocation', ms(first.totalMs)],
        ['second invocation, same sandbox', ms(first.secondMs)],
      ],
    ),
  );
  out.push(`I/O of a first invocation, counted at the mesh: ${first.io.ssmCalls} SSM calls, ${first.io.tokenRequests} token request(s), ${first.io.handshakes} TLS handshake(s)`);
  if (first.timeline.length > 0) {
    out.push('', 'The same first invocation step by step (median per step)');
    out.push(formatTable(['step', 'ms'], first.timeline.map((step) => [step.label, ms(step.ms)])));
  }

  out.push('', `Memory: one fresh process (node --expose-gc ${memory.v8Flags.join(' ')}), measured after gc() at each checkpoint`);
  out.push(
    formatTable(
      ['warm invocations', 'RSS MiB', 'heap used MiB', 'external MiB', 'young generation (resident) MiB'],
      memory.checkpoints.map((point) => [
        String(point.calls),
        mib(point.rssBytes),
        mib(point.heapUsedBytes),
        mib(point.externalBytes),
        mib(point.youngGenerationBytes),
      ]),
    ),
  );
  out.push(
    `Before the baseline, the first stack trace through the bundle (the first failed invocation) took ${ms(memory.firstStackTrace.ms)} ms ` +
      `and ${mib(memory.firstStackTrace.heapBytes)} MiB of heap, once per sandbox (${report.runtime.nodeOptions.includes('--enable-source-maps') ? 'decoding the source map: NODE_OPTIONS=--enable-source-maps' : 'no source maps'}).`,
  );

  out.push('', 'Targets');
  out.push(formatTable(['target', 'measured', 'met'], report.targets.map((target) => [target.target, target.measured, target.met ? 'yes' : 'NO'])));
  out.push('', `Bench run took ${(report.durationMs / 1000).toFixed(0)} s.`);
  return out.join('\n');
}
