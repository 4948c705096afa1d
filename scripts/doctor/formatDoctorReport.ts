import type { DoctorReport, StepStatus } from './doctorStep.ts';

const MARK: Record<StepStatus, string> = { pass: '✓', fail: '✗', skip: '·' };
const CHECK_WIDTH = 12;

/**
 * The report as the terminal shows it: one line per step (✓, ✗ or · for skipped), its details
 * indented below, the fix under every ✗, and a summary line.
 *
 * @example
 * process.stdout.write(formatDoctorReport(report));
 */
export function formatDoctorReport(report: DoctorReport): string {
  const lines: string[] = [];
  for (const step of report.steps) {
    lines.push(`${MARK[step.status]} ${step.check.padEnd(CHECK_WIDTH)}${step.subject}: ${step.summary}`);
    for (const detail of step.details) lines.push(`    ${detail}`);
    if (step.fix) lines.push(`    fix: ${step.fix}`);
  }
  const count = (status: StepStatus) => report.steps.filter((step) => step.status === status).length;
  lines.push('', `${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped in ${report.durationMs} ms`);
  return `${lines.join('\n')}\n`;
}
