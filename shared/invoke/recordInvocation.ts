import { formatInvocationRecord, type RecordLineFacts, type RecordLineSettings } from './formatInvocationRecord.ts';
import type { TaskContext } from '../task/httpTask.ts';

/** What one invocation did, filled in as it goes; never holds a value that could be a secret. */
export interface InvocationRecord {
  /** Lambda's request id, when the invoker runs under Lambda. */
  requestId?: string;
  /**
   * The invocation's X-Ray trace header (the context's `xRayTraceId`, else `_X_AMZN_TRACE_ID`),
   * read once when it starts: the tracing headers and the record's xray_trace_id come from it.
   */
  amznTraceId?: string;
  service?: string;
  method?: string;
  /** The path *template* (`/v1/orders/{orderId}`): parameters may be personal data. */
  pathTemplate?: string;
  context?: TaskContext;
  identity?: string;
  credentialVersion?: string;
  attempts: number;
  status?: number;
  error?: string;
  durationMs?: number;
}

// Read once per sandbox, as Powertools reads the same variables.
const settings: RecordLineSettings = {
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || 'meshgate',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'meshgate',
  metricsDisabled: process.env.POWERTOOLS_METRICS_DISABLED?.trim().toLowerCase() === 'true',
};
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
// Lambda counts provisioned-concurrency and SnapStart initializations apart: only an on-demand
// sandbox's first invocation waited for its cold start (Powertools Metrics' rule).
const countsColdStart = process.env.AWS_LAMBDA_INITIALIZATION_TYPE === 'on-demand';
let coldStart = true;

/**
 * The invocation record: one JSON line on stdout per invocation, success or failure, that is both
 * the audit line (fixed message `meshgate invocation`, so log queries filter on it) and the
 * invocation's CloudWatch metrics in the embedded metric format. It carries no `level`, so
 * neither the log level nor Lambda's log-level filter can drop an audit line or a metric; the
 * field names Powertools Logger uses (timestamp, service, function_request_id, xray_trace_id,
 * cold_start) join it to the invoker's other log lines. Written here rather than through
 * Powertools Logger and Metrics, whose per-line bookkeeping cost more than the rest of a warm
 * invocation (npm run bench, issue #7).
 *
 * @example
 * recordInvocation({ service: 'orders', identity: 'default', attempts: 1, status: 200, durationMs: 12 });
 */
export function recordInvocation(record: InvocationRecord): void {
  const firstInvocation = coldStart;
  coldStart = false;
  const facts: RecordLineFacts = { now: Date.now(), coldStart: firstInvocation };
  if (firstInvocation && countsColdStart && functionName) facts.coldStartMetricOf = functionName;
  const xray = xrayTraceId(record.amznTraceId);
  if (xray !== undefined) facts.xrayTraceId = xray;
  process.stdout.write(formatInvocationRecord(record, facts, settings));
}

/** The Root of `_X_AMZN_TRACE_ID` (`Root=1-5759e988-bd862e3fe1be46a994272793;Parent=…`), as Powertools logs it. */
function xrayTraceId(header: string | undefined): string | undefined {
  if (!header?.startsWith('Root=')) return undefined;
  const end = header.indexOf(';');
  return header.slice(5, end === -1 ? undefined : end);
}
