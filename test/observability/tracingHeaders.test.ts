import { describe, expect, it } from 'vitest';
import { traceContext } from '../../shared/observability/traceContext.ts';
import { tracingHeaders } from '../../shared/observability/tracingHeaders.ts';

const xray = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

describe('Function: tracingHeaders', () => {
  it('derives traceparent and B3 headers from the same X-Ray ids', () => {
    // Act
    const headers = tracingHeaders(traceContext(xray));
    // Assess
    expect(headers).toEqual({
      traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
      'x-b3-traceid': '5759e988bd862e3fe1be46a994272793',
      'x-b3-spanid': '53995c3f42cd8ad8',
      'x-b3-sampled': '1',
    });
  });

  it('marks an unsampled trace 0 in both formats', () => {
    const headers = tracingHeaders(traceContext(xray.replace('Sampled=1', 'Sampled=0')));
    expect(headers.traceparent.endsWith('-00')).toBe(true);
    expect(headers['x-b3-sampled']).toBe('0');
  });

  it('keeps random ids consistent between the formats when there is no X-Ray header', () => {
    // Act
    const headers = tracingHeaders(traceContext(''));
    // Assess
    const [, traceId, parentId, flags] = headers.traceparent.split('-');
    expect(headers['x-b3-traceid']).toMatch(/^[0-9a-f]{32}$/);
    expect(headers['x-b3-spanid']).toMatch(/^[0-9a-f]{16}$/);
    expect([traceId, parentId, flags]).toEqual([headers['x-b3-traceid'], headers['x-b3-spanid'], '00']);
  });

  it('derives nothing from _X_AMZN_TRACE_ID when the invocation has no header (under multi-concurrency the variable may be stale)', () => {
    // Prepare
    process.env._X_AMZN_TRACE_ID = xray;
    try {
      // Act
      const headers = tracingHeaders(traceContext(undefined));
      // Assess
      expect(headers['x-b3-traceid']).toMatch(/^[0-9a-f]{32}$/);
      expect(headers['x-b3-traceid']).not.toBe('5759e988bd862e3fe1be46a994272793');
      expect(headers['x-b3-sampled']).toBe('0');
    } finally {
      delete process.env._X_AMZN_TRACE_ID;
    }
  });
});

describe('Function: traceContext', () => {
  it('reads Root, Parent and Sampled in any order, among other fields and spaces', () => {
    const header = 'Self=1-67891234-12456789abcdef012345678;Sampled=1 ; Parent=53995c3f42cd8ad8;Lineage=a87bd80c:1; Root=1-5759e988-bd862e3fe1be46a994272793';
    expect(traceContext(header)).toEqual({ traceId: '5759e988bd862e3fe1be46a994272793', parentId: '53995c3f42cd8ad8', sampled: true });
  });

  it('replaces a malformed Root or Parent with random ids and treats anything but Sampled=1 as not sampled', () => {
    for (const header of ['Root=1-5759e988-bd862e3fe1be46a99427279;Parent=53995c3f42cd8ad8x;Sampled=?', 'Root=2-5759e988-bd862e3fe1be46a994272793;Sampled=10', 'XRoot=1-5759e988-bd862e3fe1be46a994272793']) {
      const context = traceContext(header);
      expect(context.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(context.traceId).not.toBe('5759e988bd862e3fe1be46a994272793');
      expect(context.parentId).toMatch(/^[0-9a-f]{16}$/);
      expect(context.parentId).not.toBe('53995c3f42cd8ad8');
      expect(context.sampled).toBe(false);
    }
  });
});

describe('traceparent from an X-Ray trace header', () => {
  const FORMAT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/;
  const traceparentOf = (header: string | undefined) => tracingHeaders(traceContext(header)).traceparent;

  it('maps Sampled=0 to flags 00', () => {
    expect(traceparentOf(xray.replace('Sampled=1', 'Sampled=0'))).toBe('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00');
  });

  it('treats a missing Sampled as not sampled and ignores extra fields and order', () => {
    const header = 'Lineage=a87bd80c:1|68fd508a:5; Parent=53995c3f42cd8ad8 ;Root=1-5759e988-bd862e3fe1be46a994272793';
    expect(traceparentOf(header)).toBe('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00');
  });

  it.each([[undefined], [''], ['not a trace header'], ['Root=;Parent=']])('makes a new random, unsampled traceparent from %j', (header) => {
    const values = [traceparentOf(header), traceparentOf(header)];
    expect(values[0]).toMatch(FORMAT);
    expect(values[1]).toMatch(FORMAT);
    expect(values[0]).not.toBe(values[1]);
    expect(values[0]!.endsWith('-00')).toBe(true);
  });

  it('keeps a valid Parent when Root is malformed, and the reverse', () => {
    const badRoot = 'Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const badParent = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995C3F42CD8AD8;Sampled=1';
    expect(traceparentOf(badRoot)).toMatch(/^00-[0-9a-f]{32}-53995c3f42cd8ad8-01$/);
    expect(traceparentOf(badRoot)).not.toContain('bd862e3fe1be46a994272793');
    expect(traceparentOf(badParent)).toMatch(/^00-5759e988bd862e3fe1be46a994272793-[0-9a-f]{16}-01$/);
    expect(traceparentOf(badParent)).not.toContain('53995c3f42cd8ad8');
  });
});
