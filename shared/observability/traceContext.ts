import { randomBytes } from 'node:crypto';

/** The ids of the trace an outgoing call belongs to, shared by every tracing header format. */
export interface TraceContext {
  /** 32 lower-case hex digits. */
  traceId: string;
  /** The caller's span (16 hex digits): W3C `parent-id`, B3 `spanid`. */
  parentId: string;
  sampled: boolean;
}

// One field of the header: `Key=value` between semicolons, spaces around either allowed.
const ROOT = /(?:^|;)\s*Root\s*=\s*1-([0-9a-f]{8})-([0-9a-f]{24})\s*(?:;|$)/;
const PARENT = /(?:^|;)\s*Parent\s*=\s*([0-9a-f]{16})\s*(?:;|$)/;
const SAMPLED = /(?:^|;)\s*Sampled\s*=\s*1\s*(?:;|$)/;

/**
 * The trace context of an invocation, from its X-Ray trace header, which the caller reads once
 * (`Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`): the trace id is
 * the Root without its version and dash, the parent the Parent segment, the flag from Sampled.
 * Missing or malformed parts are replaced by random ids (not sampled). Read with one regular
 * expression per field: it runs on every invocation, before the request is sent.
 *
 * @example
 * traceContext('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1')
 * // { traceId: '5759e988bd862e3fe1be46a994272793', parentId: '53995c3f42cd8ad8', sampled: true }
 */
export function traceContext(amznTraceId: string | undefined): TraceContext {
  const header = amznTraceId ?? '';
  const root = ROOT.exec(header);
  const parent = PARENT.exec(header);
  return {
    traceId: root ? `${root[1]}${root[2]}` : randomBytes(16).toString('hex'),
    parentId: parent ? parent[1]! : randomBytes(8).toString('hex'),
    sampled: SAMPLED.test(header),
  };
}
