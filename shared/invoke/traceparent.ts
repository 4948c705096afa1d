import { randomBytes } from 'node:crypto';

/**
 * A W3C `traceparent` for the outgoing call. With X-Ray active, Lambda sets _X_AMZN_TRACE_ID
 * (`Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`); the trace id is
 * the Root without its version and dash, the parent the Parent segment, the flag from Sampled.
 *
 * @example
 * traceparent('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1')
 * // '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01'
 */
export function traceparent(amznTraceId: string | undefined = process.env._X_AMZN_TRACE_ID): string {
  const fields = new Map(
    (amznTraceId ?? '').split(';').map((part) => {
      const [key = '', value = ''] = part.split('=');
      return [key.trim(), value.trim()] as const;
    }),
  );
  const root = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/.exec(fields.get('Root') ?? '');
  const parent = /^[0-9a-f]{16}$/.exec(fields.get('Parent') ?? '');
  const traceId = root ? `${root[1]}${root[2]}` : randomBytes(16).toString('hex');
  const parentId = parent ? parent[0] : randomBytes(8).toString('hex');
  const sampled = fields.get('Sampled') === '1' ? '01' : '00';
  return `00-${traceId}-${parentId}-${sampled}`;
}
