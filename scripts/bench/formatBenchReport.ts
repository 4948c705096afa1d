import type { BenchReport } from './benchReport.ts';

/** Placeholder until the tables are written. */
export function formatBenchReport(report: BenchReport): string {
  return JSON.stringify({ warm: report.warm, importTimes: report.importTimes, first: report.firstInvocation, memory: report.memory, targets: report.targets }, null, 1);
}
