import { traceContext } from '../observability/traceContext.ts';
import { tracingHeaders } from '../observability/tracingHeaders.ts';

/**
 * A W3C `traceparent` for the outgoing call, from the X-Ray trace header when present. Kept for
 * callers that need only this header; the one implementation is shared/observability.
 *
 * @example
 * traceparent('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1')
 * // '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01'
 */
export function traceparent(amznTraceId: string | undefined = process.env._X_AMZN_TRACE_ID): string {
  return tracingHeaders(traceContext(amznTraceId)).traceparent;
}
