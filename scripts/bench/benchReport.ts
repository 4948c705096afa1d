import type { CpuPlacement } from './cpuPlacement.ts';
import type { LambdaRuntime } from './lambdaRuntime.ts';
import type { FirstInvocationResult } from './measureFirstInvocation.ts';
import type { ImportTime } from './measureImportTimes.ts';
import type { MemoryResult } from './measureMemory.ts';
import type { WarmResult } from './measureWarmLatency.ts';

/** One target from the issue, and whether this run met it. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

/** Everything one benchmark run measured: written as JSON, printed as tables. */
export interface BenchReport {
  startedAt: string;
  node: string;
  cpus: number;
  placement: CpuPlacement;
  /** How every measured process was started (template.yaml's NODE_OPTIONS, Lambda's heap flags). */
  runtime: LambdaRuntime;
  settings: { calls: number; rounds: number; warmupCalls: number; sandboxes: number; importSamples: number; coldSamples: number; memoryCalls: number; memoryBaselineCalls: number };
  route: { service: string; method: 'GET'; path: string; authority: string };
  bundles: Array<{ name: string; bytes: number; ownBytes: number; dependenciesBytes: number; external: string[] }>;
  importTimes: ImportTime[];
  warm: WarmResult & {
    ratios: {
      p50VsFloor: number;
      p95VsFloor: number;
      p99VsFloor: number;
      p50VsHandRolled: number;
      p95VsHandRolled: number;
      /** References: the A/A control (floor again ÷ floor), the record's own cost (floor with record ÷ floor), and the invoker beyond it. */
      floorAgainP50VsFloor: number;
      floorWithRecordP50VsFloor: number;
      p50VsFloorWithRecord: number;
    };
  };
  firstInvocation: FirstInvocationResult;
  memory: MemoryResult;
  targets: TargetCheck[];
  durationMs: number;
}
