import type { TraceContext } from './traceContext.ts';

/** The tracing headers every outgoing call carries. */
export interface TracingHeaders {
  traceparent: string;
  'x-b3-traceid': string;
  'x-b3-spanid': string;
  'x-b3-sampled': '1' | '0';
}

/**
 * W3C `traceparent` and Istio's B3 headers, derived from the same ids so that Envoy's spans and
 * whatever reads `traceparent` downstream join the one X-Ray trace.
 *
 * @example
 * tracingHeaders(traceContext('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1'))
 * // { traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
 * //   'x-b3-traceid': '5759e988bd862e3fe1be46a994272793', 'x-b3-spanid': '53995c3f42cd8ad8', 'x-b3-sampled': '1' }
 */
export function tracingHeaders(context: TraceContext): TracingHeaders {
  return {
    traceparent: `00-${context.traceId}-${context.parentId}-${context.sampled ? '01' : '00'}`,
    'x-b3-traceid': context.traceId,
    'x-b3-spanid': context.parentId,
    'x-b3-sampled': context.sampled ? '1' : '0',
  };
}
