import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESPONSE_HEADERS, pickResponseHeaders } from '../../../shared/result/pickResponseHeaders.ts';

describe('Function: pickResponseHeaders', () => {
  it('keeps the default allow-list and drops everything else', () => {
    // Prepare
    const headers: IncomingHttpHeaders = {
      'content-type': 'application/json',
      etag: '"v3"',
      location: '/v1/orders/A-17',
      'retry-after': '2',
      'x-request-id': 'req-1',
      'set-cookie': ['session=abc; HttpOnly', 'csrf=def'],
      'www-authenticate': 'Bearer error="invalid_token"',
      server: 'envoy',
      'x-envoy-upstream-service-time': '3',
    };

    // Act
    const picked = pickResponseHeaders(headers);

    // Assess
    expect(picked).toEqual({
      'content-type': 'application/json',
      etag: '"v3"',
      location: '/v1/orders/A-17',
      'retry-after': '2',
      'x-request-id': 'req-1',
    });
  });

  it('lists exactly the contract defaults', () => {
    // Prepare
    const expected = ['content-type', 'etag', 'location', 'retry-after', 'x-request-id'];

    // Act
    const defaults = [...DEFAULT_RESPONSE_HEADERS];

    // Assess
    expect(defaults).toEqual(expected);
  });

  it('adds the service entry extra headers', () => {
    // Prepare
    const headers: IncomingHttpHeaders = { 'x-ratelimit-remaining': '10', 'cache-control': 'no-store', 'x-other': 'no' };

    // Act
    const picked = pickResponseHeaders(headers, ['x-ratelimit-remaining', 'cache-control']);

    // Assess
    expect(picked).toEqual({ 'x-ratelimit-remaining': '10', 'cache-control': 'no-store' });
  });

  it('joins a repeated header with ", "', () => {
    // Prepare
    const headers = { link: ['<a>; rel="next"', '<b>; rel="last"'] } as IncomingHttpHeaders;

    // Act
    const picked = pickResponseHeaders(headers, ['link']);

    // Assess
    expect(picked).toEqual({ link: '<a>; rel="next", <b>; rel="last"' });
  });

  it('returns an empty object when no allowed header is present', () => {
    // Prepare
    const headers: IncomingHttpHeaders = { 'set-cookie': ['a=b'] };

    // Act
    const picked = pickResponseHeaders(headers);

    // Assess
    expect(picked).toEqual({});
  });

  it('does not copy inherited properties when the catalog names "constructor" or "__proto__"', () => {
    // Prepare
    const headers: IncomingHttpHeaders = { 'content-type': 'text/plain' };

    // Act
    const picked = pickResponseHeaders(headers, ['constructor', '__proto__']);

    // Assess
    expect(picked).toEqual({ 'content-type': 'text/plain' });
  });
});
