import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ServiceConfig } from '../../../shared/catalog/catalogTypes.ts';
import { buildHttpOutput } from '../../../shared/invoke/buildHttpOutput.ts';
import { outputSizeBound } from '../../../shared/invoke/outputSizeBound.ts';
import { pickResponseHeaders } from '../../../shared/result/pickResponseHeaders.ts';

const SERVICE: ServiceConfig = {
  authority: 'orders.mesh.example.com',
  audience: 'https://orders.mesh.example.com',
  identity: 'default',
  protocol: 'http',
  methods: ['GET'],
  paths: ['/v1/orders'],
  // No cap: the bound is compared with the real size, whatever it is.
  maxOutputBytes: Number.MAX_SAFE_INTEGER,
};

/** JSON texts that grow most when parsed and written again: exponents, escapes, nesting. */
const growingJson = fc
  .array(
    fc.oneof(
      fc.constantFrom('1e20', '9E20', '1e+20', '-1e20', '1e400', '0.0000001', '"\\u0001"', '"\\ud800"', '"\\/"', '[]', '{}', 'null'),
      fc.json(),
    ),
    { minLength: 500, maxLength: 1_500 },
  )
  .map((items) => `[${items.join(',')}]`);

/** Bytes that, read as text, become control characters, replacement characters, quotes and backslashes. */
const awkwardBytes = fc
  .oneof(fc.uint8Array({ minLength: 2_000, maxLength: 6_000 }), fc.uint8Array({ max: 0x1f, minLength: 2_000, maxLength: 6_000 }))
  .map((bytes) => Buffer.from(bytes));

const meta = fc.record({
  service: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,62}$/),
  attempts: fc.integer({ min: 1, max: 3 }),
  durationMs: fc.nat(),
  requestId: fc.uuid(),
  idempotencyKey: fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 255 }),
});

/** Header values as undici hands them over: Latin-1 strings, control characters included. */
const headerValue = fc.string({ unit: fc.integer({ min: 1, max: 0xff }).map((code) => String.fromCharCode(code)), maxLength: 60 });

describe('Function: outputSizeBound', () => {
  it('is never below the serialized size of the output, for any body type, headers and meta', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          growingJson.map((text) => ({ type: 'application/json', body: Buffer.from(text) })),
          awkwardBytes.map((body) => ({ type: 'text/plain; charset=utf-8', body })),
          awkwardBytes.map((body) => ({ type: 'application/octet-stream', body })),
        ),
        fc.record({ etag: headerValue, location: headerValue, 'x-request-id': headerValue }, { requiredKeys: [] }),
        meta,
        ({ type, body }, extraHeaders, invocationMeta) => {
          const headers = { 'content-type': type, ...extraHeaders };
          const output = buildHttpOutput({ status: 200, headers, body }, true, SERVICE, undefined, invocationMeta);
          const size = Buffer.byteLength(JSON.stringify(output));
          expect(size).toBeLessThanOrEqual(outputSizeBound(body, pickResponseHeaders(headers)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    ['text of control characters (6 bytes each once escaped)', 'text/plain', Buffer.alloc(20_000, 0x01)],
    ['JSON numbers written out in full (1e20: 4 bytes become 21)', 'application/json', Buffer.from(`[${Array(5_000).fill('1e20').join(',')}]`)],
  ])('holds for the worst case: %s', (_label, type, body) => {
    const headers = { 'content-type': type };
    const output = buildHttpOutput({ status: 200, headers, body }, true, SERVICE, undefined, { service: 'orders', attempts: 1, durationMs: 1, requestId: 'r' });
    expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThanOrEqual(outputSizeBound(body, pickResponseHeaders(headers)));
  });

  it('grows with the body, so a large answer is still measured and refused', () => {
    expect(outputSizeBound(Buffer.alloc(50_000), {})).toBeGreaterThan(240 * 1024);
  });
});
