import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ServiceConfig } from '../../../shared/catalog/catalogTypes.ts';
import { BadResponseError, ResponseTooLargeError } from '../../../shared/errors/meshErrors.ts';
import { buildHttpOutput, DEFAULT_MAX_OUTPUT_BYTES } from '../../../shared/invoke/buildHttpOutput.ts';
import type { InvocationMeta } from '../../../shared/invoke/httpOutput.ts';
import type { AttemptResponse } from '../../../shared/transport/sendAttempt.ts';

const SERVICE: ServiceConfig = {
  authority: 'orders.mesh.example.com',
  audience: 'https://orders.mesh.example.com',
  identity: 'default',
  protocol: 'http',
  methods: ['GET', 'POST'],
  paths: ['/v1/orders'],
};

const META: InvocationMeta = { service: 'orders', attempts: 1, durationMs: 12, requestId: 'req-1', idempotencyKey: 'mg1-key' };

function response(status: number, headers: IncomingHttpHeaders, body: string | Buffer): AttemptResponse {
  return { status, headers, body: typeof body === 'string' ? Buffer.from(body) : body };
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('Function: buildHttpOutput', () => {
  it('builds the contract output from a JSON response', () => {
    // Prepare
    const answer = response(
      201,
      {
        'content-type': 'application/json',
        etag: '"v3"',
        location: '/v1/orders/A-17',
        'set-cookie': ['session=abc'],
        'x-envoy-upstream-service-time': '3',
      },
      '{"id":"A-17","status":"confirmed"}',
    );

    // Act
    const output = buildHttpOutput(answer, true, SERVICE, undefined, META);

    // Assess
    expect(output).toEqual({
      ok: true,
      status: 201,
      headers: { 'content-type': 'application/json', etag: '"v3"', location: '/v1/orders/A-17' },
      body: { id: 'A-17', status: 'confirmed' },
      meta: META,
    });
  });

  it('adds the service entry responseHeaders to the allow-list', () => {
    // Prepare
    const service = { ...SERVICE, responseHeaders: ['x-ratelimit-remaining'] };
    const answer = response(200, { 'x-ratelimit-remaining': '9', 'set-cookie': ['a=b'] }, '');

    // Act
    const output = buildHttpOutput(answer, true, service, undefined, META);

    // Assess
    expect(output.headers).toEqual({ 'x-ratelimit-remaining': '9' });
  });

  it('returns a null body for an empty answer whatever its type', () => {
    // Prepare
    const answer = response(204, { 'content-type': 'application/json' }, '');

    // Act
    const output = buildHttpOutput(answer, true, SERVICE, undefined, META);

    // Assess
    expect(output.body).toBeNull();
  });

  it('applies select to a successful JSON body', () => {
    // Prepare
    const answer = response(200, { 'content-type': 'application/json' }, '{"data":{"order":{"id":1}},"noise":"x"}');

    // Act
    const output = buildHttpOutput(answer, true, SERVICE, '/data/order', META);

    // Assess
    expect(output.body).toEqual({ id: 1 });
  });

  it('does not apply select to a returned error answer', () => {
    // Prepare
    const answer = response(404, { 'content-type': 'application/problem+json' }, '{"title":"Not Found"}');

    // Act
    const output = buildHttpOutput(answer, false, SERVICE, '/data/order', META);

    // Assess
    expect(output).toMatchObject({ ok: false, status: 404, body: { title: 'Not Found' } });
  });

  it('throws Mesh.BadResponse with service and status when select finds nothing', () => {
    // Prepare
    const answer = response(200, { 'content-type': 'application/json' }, '{"data":{}}');

    // Act
    const error = catchError(() => buildHttpOutput(answer, true, SERVICE, '/data/order', META));

    // Assess
    expect(error).toBeInstanceOf(BadResponseError);
    expect((error as BadResponseError).name).toBe('Mesh.BadResponse');
    expect(JSON.parse((error as BadResponseError).message)).toEqual({
      message: 'select "/data/order" found nothing in the response',
      service: 'orders',
      status: 200,
    });
  });

  it('throws Mesh.BadResponse with service and status when a JSON body does not parse', () => {
    // Prepare
    const answer = response(200, { 'content-type': 'application/json' }, '<html>oops</html>');

    // Act
    const error = catchError(() => buildHttpOutput(answer, true, SERVICE, undefined, META));

    // Assess
    expect(error).toBeInstanceOf(BadResponseError);
    expect((error as BadResponseError).name).toBe('Mesh.BadResponse');
    expect(JSON.parse((error as BadResponseError).message)).toEqual({
      message: 'Response declared application/json but is not valid JSON',
      service: 'orders',
      status: 200,
    });
  });

  it('throws Mesh.ResponseTooLarge when the output is over the service maxOutputBytes', () => {
    // Prepare
    const service = { ...SERVICE, maxOutputBytes: 1_000 };
    const answer = response(200, { 'content-type': 'text/plain' }, 'x'.repeat(1_000));

    // Act
    const error = catchError(() => buildHttpOutput(answer, true, service, undefined, META));

    // Assess
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    const parsed = JSON.parse((error as ResponseTooLargeError).message) as Record<string, unknown>;
    expect((error as ResponseTooLargeError).name).toBe('Mesh.ResponseTooLarge');
    expect(parsed).toMatchObject({ service: 'orders', status: 200 });
    expect(parsed.message).toMatch(/^Output is \d+ bytes, over the 1000-byte cap$/);
  });

  it('accepts an output of exactly maxOutputBytes and refuses one byte more', () => {
    // Prepare
    const small = buildHttpOutput(response(200, { 'content-type': 'text/plain' }, ''), true, SERVICE, undefined, META);
    const overhead = Buffer.byteLength(JSON.stringify({ ...small, body: '' }));
    const service = { ...SERVICE, maxOutputBytes: overhead + 100 };
    const fits = response(200, { 'content-type': 'text/plain' }, 'y'.repeat(100));
    const over = response(200, { 'content-type': 'text/plain' }, 'y'.repeat(101));

    // Act
    const output = buildHttpOutput(fits, true, service, undefined, META);
    const error = catchError(() => buildHttpOutput(over, true, service, undefined, META));

    // Assess
    expect(Buffer.byteLength(JSON.stringify(output))).toBe(overhead + 100);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
  });

  it('measures the output in UTF-8 bytes, not characters', () => {
    // Prepare
    const service = { ...SERVICE, maxOutputBytes: 1_000 };
    const answer = response(200, { 'content-type': 'text/plain' }, '€'.repeat(400)); // 400 characters, 1200 bytes

    // Act
    const error = catchError(() => buildHttpOutput(answer, true, service, undefined, META));

    // Assess
    expect(error).toBeInstanceOf(ResponseTooLargeError);
  });

  it('lets select bring an oversized body under the cap', () => {
    // Prepare
    const service = { ...SERVICE, maxOutputBytes: 1_000 };
    const answer = response(200, { 'content-type': 'application/json' }, JSON.stringify({ big: 'z'.repeat(5_000), small: 1 }));

    // Act
    const output = buildHttpOutput(answer, true, service, '/small', META);

    // Assess
    expect(output.body).toBe(1);
  });

  it('caps the output at 240 KiB by default', () => {
    // Prepare
    const answer = response(200, { 'content-type': 'text/plain' }, 'x'.repeat(DEFAULT_MAX_OUTPUT_BYTES));

    // Act
    const error = catchError(() => buildHttpOutput(answer, true, SERVICE, undefined, META));

    // Assess
    expect(DEFAULT_MAX_OUTPUT_BYTES).toBe(240 * 1024);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
  });
});
