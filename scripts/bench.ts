/**
 * `npm run bench`: how close the warm invoker is to the wire, on the local mesh.
 *
 * Measures, in one run: warm latency (p50/p95/p99) of the HTTP invoker bundle against a raw undici
 * request with the same headers over an open mTLS connection (the floor) and a hand-rolled handler
 * (SSM + new connection per call), with the I/O per warm call counted at the mesh; bundle sizes and import times against the invokers' dependencies
 * alone; the first invocation of a fresh sandbox, step by step; memory after 10 000 warm calls
 * against 100. Measured processes start as Lambda starts the function (template.yaml's environment
 * and NODE_OPTIONS, Lambda's heap flags) with stdout (invocation records) piped to files under
 * bench-results/. Prints tables and writes bench-results/bench-<time>.json and
 * bench-results/latest.json. Exits 1 when a target is missed.
 *
 *   npm run bench [-- --quick] [-- --calls 2000 --rounds 20 --no-pin --json docs/bench/latest.json]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { defaultBenchOptions } from './bench/benchOptions.ts';
import { formatBenchReport } from './bench/formatBenchReport.ts';
import { parseBenchArgs } from './bench/parseBenchArgs.ts';
import { runBench } from './bench/runBench.ts';

const args = parseBenchArgs(process.argv.slice(2));
if (args.help) {
  console.log('npm run bench -- [--quick] [--calls N] [--rounds N] [--warmup N] [--sandboxes N] [--import-samples N] [--cold-samples N]');
  console.log('                 [--memory-calls N] [--memory-baseline N] [--no-pin] [--out-dir DIR] [--json FILE]');
  process.exit(0);
}
const outDir = args.options.outDir ?? defaultBenchOptions.outDir;
const report = await runBench({ ...args.options, log: (line) => process.stderr.write(`${line}\n`) });
const json = `${JSON.stringify(report, null, 2)}\n`;
const stamped = join(outDir, `bench-${report.startedAt.replace(/[:.]/g, '-')}.json`);
await writeFile(stamped, json);
await writeFile(join(outDir, 'latest.json'), json);
if (args.jsonOut) {
  await mkdir(dirname(args.jsonOut), { recursive: true });
  await writeFile(args.jsonOut, json);
}
console.log(formatBenchReport(report));
console.log(`\nJSON: ${stamped}${args.jsonOut ? ` and ${args.jsonOut}` : ''}`);
process.exitCode = report.targets.every((target) => target.met) ? 0 : 1;
