import { join } from 'node:path';
import { repoRoot } from './repoRoot.ts';

/** What one `npm run bench` measures, and how much. */
export interface BenchOptions {
  /** Timed warm calls per variant (floor, invoker, invoker without its log lines, hand-rolled). */
  calls: number;
  /** The timed calls are split into this many rounds; each round runs every sandbox once, in a shuffled order. */
  rounds: number;
  /** Untimed calls per sandbox before the first round (JIT, pools, caches). */
  warmupCalls: number;
  /** Processes (sandboxes) per variant in the warm measurement; a variant's calls are shared between them. */
  sandboxes: number;
  /** Fresh processes per bundle for the import-time medians. */
  importSamples: number;
  /** Fresh processes (new sandboxes) for the first-invocation breakdown. */
  coldSamples: number;
  /** Warm invocations in the memory run, and the early checkpoint it is compared with. */
  memoryCalls: number;
  memoryBaselineCalls: number;
  /** Pin the mesh (and moto_server) to CPU 0 and every measured process to CPU 1 (needs `taskset` and 2 CPUs). */
  pinCpus: boolean;
  /** Where bundles, child stdout and the JSON report go; inside the repository (bundles resolve packages from its node_modules). */
  outDir: string;
  /** Progress lines (stderr by default in the CLI; nothing in tests). */
  log: (line: string) => void;
}

/** The numbers: 2 000 warm calls per variant, RSS after 10 000 against 100. */
export const defaultBenchOptions: BenchOptions = {
  calls: 2_000,
  rounds: 20,
  warmupCalls: 200,
  sandboxes: 3,
  importSamples: 25,
  coldSamples: 7,
  memoryCalls: 10_000,
  memoryBaselineCalls: 100,
  pinCpus: true,
  outDir: join(repoRoot, 'bench-results'),
  log: () => undefined,
};
