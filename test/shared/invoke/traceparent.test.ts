import { afterEach, describe, expect, it, vi } from 'vitest';
import { traceparent } from '../../../shared/invoke/traceparent.ts';

const FORMAT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/;

describe('Function: traceparent', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('converts the X-Ray header of the TSDoc example', () => {
    // Prepare
    const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

    // Act
    const value = traceparent(header);

    // Assess
    expect(value).toBe('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01');
  });

  it('maps Sampled=0 to flags 00', () => {
    // Prepare
    const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0';

    // Act
    const value = traceparent(header);

    // Assess
    expect(value).toBe('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00');
  });

  it('treats a missing Sampled as not sampled and ignores extra fields and order', () => {
    // Prepare
    const header = 'Lineage=a87bd80c:1|68fd508a:5; Parent=53995c3f42cd8ad8 ;Root=1-5759e988-bd862e3fe1be46a994272793';

    // Act
    const value = traceparent(header);

    // Assess
    expect(value).toBe('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00');
  });

  it('reads _X_AMZN_TRACE_ID by default', () => {
    // Prepare
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-67891233-abcdef012345678912345678;Parent=463ac35c9f6413ad;Sampled=1');

    // Act
    const value = traceparent();

    // Assess
    expect(value).toBe('00-67891233abcdef012345678912345678-463ac35c9f6413ad-01');
  });

  it.each([[''], ['not a trace header'], ['Root=;Parent=']])('makes a random valid traceparent from %j', (header) => {
    // Prepare
    const input = header;

    // Act
    const values = [traceparent(input), traceparent(input)];

    // Assess
    expect(values[0]).toMatch(FORMAT);
    expect(values[1]).toMatch(FORMAT);
    expect(values[0]).not.toBe(values[1]);
    expect(values[0]!.endsWith('-00')).toBe(true);
  });

  it('makes a random valid traceparent when the variable is not set', () => {
    // Prepare
    vi.stubEnv('_X_AMZN_TRACE_ID', undefined);

    // Act
    const value = traceparent();

    // Assess
    expect(value).toMatch(FORMAT);
  });

  it('keeps a valid Parent when Root is malformed, and the reverse', () => {
    // Prepare
    const badRoot = 'Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const badParent = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995C3F42CD8AD8;Sampled=1';

    // Act
    const values = [traceparent(badRoot), traceparent(badParent)];

    // Assess
    expect(values[0]).toMatch(/^00-[0-9a-f]{32}-53995c3f42cd8ad8-01$/);
    expect(values[0]).not.toContain('bd862e3fe1be46a994272793');
    expect(values[1]).toMatch(/^00-5759e988bd862e3fe1be46a994272793-[0-9a-f]{16}-01$/);
    expect(values[1]).not.toContain('53995c3f42cd8ad8');
  });
});
