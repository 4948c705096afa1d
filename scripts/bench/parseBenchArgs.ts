import { parseArgs } from 'node:util';
import type { BenchOptions } from './benchOptions.ts';

const NUMERIC = ['calls', 'rounds', 'warmup', 'sandboxes', 'import-samples', 'cold-samples', 'memory-calls', 'memory-baseline'] as const;

/** The CLI's options, with where the JSON report goes. */
export interface BenchArgs {
  options: Partial<BenchOptions>;
  /** Extra copy of the JSON report (besides bench-results/), e.g. docs/bench/latest.json. */
  jsonOut: string | undefined;
  help: boolean;
}

/**
 * `npm run bench -- [--calls N] [--rounds N] [--warmup N] [--sandboxes N] [--import-samples N] [--cold-samples N]
 * [--memory-calls N] [--memory-baseline N] [--no-pin] [--out-dir DIR] [--json FILE] [--quick]`.
 *
 * @example
 * parseBenchArgs(['--calls', '500', '--no-pin']);
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...Object.fromEntries(NUMERIC.map((name) => [name, { type: 'string' as const }])),
      'no-pin': { type: 'boolean' },
      'out-dir': { type: 'string' },
      json: { type: 'string' },
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const number = (name: (typeof NUMERIC)[number]): number | undefined => {
    const text = (values as Record<string, string | boolean | undefined>)[name] as string | undefined;
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
    return value;
  };
  // --quick: a smoke run (seconds), not a measurement.
  const quick: Partial<BenchOptions> = values.quick
    ? { calls: 200, rounds: 4, warmupCalls: 50, sandboxes: 1, importSamples: 3, coldSamples: 2, memoryCalls: 1_000, memoryBaselineCalls: 100 }
    : {};
  const given: Partial<BenchOptions> = {
    calls: number('calls'),
    rounds: number('rounds'),
    warmupCalls: number('warmup'),
    sandboxes: number('sandboxes'),
    importSamples: number('import-samples'),
    coldSamples: number('cold-samples'),
    memoryCalls: number('memory-calls'),
    memoryBaselineCalls: number('memory-baseline'),
    ...(values['no-pin'] ? { pinCpus: false } : {}),
    outDir: values['out-dir'] as string | undefined,
  };
  const options = { ...quick, ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) };
  return { options, jsonOut: values.json as string | undefined, help: values.help === true };
}
