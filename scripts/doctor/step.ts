import type { CheckName, DoctorStep } from './doctorStep.ts';

/**
 * Builders for report steps, so every check states its outcome the same way.
 *
 * @example
 * Step.fail('token', 'service orders', 'IdP refused the client', 'Write the current secret as a new version');
 */
export const Step = {
  pass(check: CheckName, subject: string, summary: string, details: string[] = []): DoctorStep {
    return { check, subject, status: 'pass', summary, details };
  },
  fail(check: CheckName, subject: string, summary: string, fix: string, details: string[] = []): DoctorStep {
    return { check, subject, status: 'fail', summary, details, fix };
  },
  skip(check: CheckName, subject: string, reason: string): DoctorStep {
    return { check, subject, status: 'skip', summary: `skipped: ${reason}`, details: [] };
  },
} as const;
