/** A request the doctor sends once everything else passed: `GET path` to `service`. */
export interface DoctorProbe {
  service: string;
  path: string;
}

export interface DoctorOptions {
  /** SSM parameter holding the catalog (what MESHGATE_CATALOG_PARAMETER names in the function). */
  catalogParameter: string;
  probes: DoctorProbe[];
  /** A certificate expiring within this many days fails its check. */
  minDays: number;
  /** Time allowed for each step's network work. */
  timeoutMs: number;
}

export const DEFAULT_MIN_DAYS = 14;
export const DEFAULT_STEP_TIMEOUT_MS = 10_000;
