/** The checks `npm run doctor` runs, in order; each later one needs what the earlier ones proved. */
export const CheckName = {
  Catalog: 'catalog',
  Parameters: 'parameters',
  Certificate: 'certificate',
  Token: 'token',
  Tls: 'tls',
  Probe: 'probe',
} as const;
export type CheckName = (typeof CheckName)[keyof typeof CheckName];

export const StepStatus = { Pass: 'pass', Fail: 'fail', Skip: 'skip' } as const;
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];

/** One line of the doctor's report: a check applied to one subject (an identity, a service, an authority). */
export interface DoctorStep {
  check: CheckName;
  /** What was checked: a parameter name, `identity default`, `service orders`, an authority. */
  subject: string;
  status: StepStatus;
  /** One line: what was found. Never a secret value. */
  summary: string;
  /** Further facts (claims, certificate chain, versions), one per line. */
  details: string[];
  /** For a failure: what to change so that the check passes. */
  fix?: string;
}

export interface DoctorReport {
  steps: DoctorStep[];
  ok: boolean;
  durationMs: number;
}
