import { describe, expect, it } from 'vitest';
import { buildRequestTarget } from '../../../shared/task/buildRequestTarget.ts';
import type { QueryValue } from '../../../shared/task/httpTask.ts';
import { parseHttpTask } from '../../../shared/task/parseHttpTask.ts';
import { expectInvalidTask } from './expectInvalidTask.ts';

function target(path: string, pathParams: Record<string, string> = {}, query: Record<string, QueryValue | QueryValue[]> = {}): string {
  return buildRequestTarget({ path, pathParams, query });
}

describe('Function: buildRequestTarget', () => {
  describe('path shape', () => {
    it.each(['/', '/v1/orders', '/v1/orders/', '/v1//orders', "/a-b_c.d~e!$&'()*+,;=:@/x"])('keeps the valid path %j as it is', (path) => {
      // Act & Assess
      expect(target(path)).toBe(path);
    });

    it.each([
      ['relative', 'v1/orders', 'must be an absolute path starting with "/"'],
      ['empty', '', 'must be an absolute path starting with "/"'],
      ['a URL with a scheme', 'https://evil.example.com/v1', 'no scheme or host'],
      ['a scheme-only URL', 'javascript:alert(1)', 'no scheme or host'],
      ['network-path "//host"', '//evil.example.com/v1', 'must not start with "//"'],
      ['a query', '/v1/orders?id=1', 'must not contain "?": put query parameters in "query"'],
      ['a fragment', '/v1/orders#x', 'must not contain "#"'],
      ['a raw backslash', '/v1\\..\\admin', 'must not contain a backslash'],
      ['a raw CR', '/v1/a\rb', 'must not contain a carriage return'],
      ['a raw LF', '/v1/a\nb', 'must not contain a line feed'],
      ['a raw NUL', '/v1/a\0b', 'must not contain a NUL'],
      ['%5c', '/v1/a%5cb', 'percent-encoded character %5c'],
      ['%5C', '/v1/a%5Cb', 'percent-encoded character %5C'],
      ['%0d', '/v1/a%0db', 'percent-encoded character %0d'],
      ['%0D', '/v1/a%0Db', 'percent-encoded character %0D'],
      ['%0a', '/v1/a%0ab', 'percent-encoded character %0a'],
      ['%0A', '/v1/a%0Ab', 'percent-encoded character %0A'],
      ['%00', '/v1/a%00b', 'percent-encoded character %00'],
      ['a stray "%"', '/v1/50%', 'has a "%" not followed by two hex digits'],
      ['a "%" with one hex digit', '/v1/%2', 'has a "%" not followed by two hex digits'],
      ['a "%" with non-hex digits', '/v1/%zz', 'has a "%" not followed by two hex digits'],
      ['an IIS %u escape', '/v1/%u002e%u002e', 'has a "%" not followed by two hex digits'],
      ['a nested escape "%%32%65"', '/v1/%%32%65%%32%65/admin', 'has a "%" not followed by two hex digits'],
      ['a lone surrogate', '/v1/\uD800', 'not well-formed Unicode'],
    ])('throws InvalidTaskError when the path has %s', (_label, path, fragment) => {
      // Act & Assess
      expectInvalidTask(() => target(path), fragment);
    });

    it('throws InvalidTaskError when path is not a string', () => {
      // Act & Assess
      expectInvalidTask(() => buildRequestTarget({ path: 42 as unknown as string, pathParams: {}, query: {} }), 'path is required and must be a string');
    });

    it('throws InvalidTaskError without scanning it when the path is huge', () => {
      // Act & Assess
      expectInvalidTask(() => target(`/${'a'.repeat(50_000_000)}`), 'path is longer than 2048 characters');
    });
  });

  describe('dot segments and their encodings', () => {
    it.each([
      '/v1/..', '/v1/../admin', '/v1/.', '/v1/./x', '/..', '/.',
      '/v1/%2e%2e/admin', '/v1/%2E%2E/admin', '/v1/%2e%2E/admin', '/v1/.%2e/admin', '/v1/%2e./admin', '/v1/.%2E/admin',
      '/v1/%2e/admin', '/v1/%2E', '/v1/%2e%2e',
      '/v1/..;jsessionid=x/admin', '/v1/%2e%2e;/admin', '/v1/.;x',
      '/v1/a%2f..%2fadmin', '/v1/a%2F%2e%2e%2Fadmin',
      '/v1/%252e%252e/admin', '/v1/%25252e%25252e/admin',
    ])('throws InvalidTaskError when the path is %j', (path) => {
      // Act & Assess
      expectInvalidTask(() => target(path), /"\.\.?" segment/);
    });

    it.each(['/v1/...', '/v1/..a', '/v1/a..', '/v1/.well-known/x', '/v1/%2e%2e%2e', '/v1/x.y', '/v1/;..'])(
      'accepts %j, which has no "." or ".." segment',
      (path) => {
        // Act & Assess
        expect(target(path)).toBe(path);
      },
    );

    it.each([
      ['%c0%ae (overlong ".")', '/v1/%c0%ae%c0%ae/admin'],
      ['%e0%80%ae (overlong ".")', '/v1/%e0%80%ae/admin'],
      ['%ff', '/v1/%ff'],
      ['an encoded surrogate', '/v1/%ed%a0%80'],
    ])('throws InvalidTaskError when the path holds invalid UTF-8: %s', (_label, path) => {
      // Act & Assess
      expectInvalidTask(() => target(path), 'path does not percent-decode to valid UTF-8');
    });

    it.each([
      ['backslash', '/v1/%255c', 'backslash'],
      ['CR', '/v1/%250d', 'carriage return'],
      ['LF', '/v1/%250A', 'line feed'],
      ['NUL', '/v1/%2500', 'NUL'],
    ])('throws InvalidTaskError when the path holds a double-encoded %s', (_label, path, fragment) => {
      // Act & Assess
      expectInvalidTask(() => target(path), new RegExp(`holds a ${fragment}.* after 2 rounds of percent-decoding`));
    });

    it.each([
      ['fullwidth full stops, encoded', '/v1/%EF%BC%8E%EF%BC%8E/admin', '".." segment'],
      ['fullwidth full stops, raw', '/v1/．．/admin', '".." segment'],
      ['a two dot leader', '/v1/‥/admin', '".." segment'],
      ['a one dot leader', '/v1/․', '"." segment'],
      ['a fullwidth reverse solidus', '/v1/a＼b', 'backslash'],
      ['a fullwidth solidus around dots', '/v1/a／．．／b', '".." segment'],
    ])('throws InvalidTaskError when the path has %s (traversal after NFKC normalization)', (_label, path, fragment) => {
      // Act
      const error = expectInvalidTask(() => target(path), fragment);

      // Assess
      expect(error.text).toContain('NFKC');
    });

    it('accepts unicode that NFKC normalization leaves harmless', () => {
      // Act & Assess
      expect(target('/v1/ﬁle/Å/①')).toBe(`/v1/${encodeURIComponent('ﬁle')}/${encodeURIComponent('Å')}/${encodeURIComponent('①')}`);
    });

    it('throws InvalidTaskError when decoding the path yields a leading "//"', () => {
      // Act & Assess
      expectInvalidTask(() => target('/%2fevil.example.com/x'), 'starts with "//"');
    });

    it('throws InvalidTaskError when the path is percent-encoded more times than checked', () => {
      // Act & Assess
      expectInvalidTask(() => target('/v1/%2525252541'), 'percent-encoded more than 4 times over');
    });
  });

  describe('percent-encoding by the invoker', () => {
    it.each([
      ['a space', '/v1/a b', '/v1/a%20b'],
      ['unicode', '/v1/café/日本', '/v1/caf%C3%A9/%E6%97%A5%E6%9C%AC'],
      ['an astral character', '/v1/😀', '/v1/%F0%9F%98%80'],
      ['quotes and angle brackets', '/v1/"<a>"', '/v1/%22%3Ca%3E%22'],
      ['a tab and DEL', '/v1/a\tb\u007f', '/v1/a%09b%7F'],
      ['backtick, caret and pipe', '/v1/`^|', '/v1/%60%5E%7C'],
    ])('encodes %s', (_label, path, expected) => {
      // Act & Assess
      expect(target(path)).toBe(expected);
    });

    it('keeps existing valid %XX escapes as they are', () => {
      // Act & Assess
      expect(target('/v1/a%20b/%C3%A9/%2F/%41')).toBe('/v1/a%20b/%C3%A9/%2F/%41');
    });
  });

  describe('placeholders', () => {
    it('fills each placeholder with encodeURIComponent of its value', () => {
      // Act & Assess
      expect(target('/v1/orders/{orderId}/confirm', { orderId: 'A 17/é?#&%' })).toBe('/v1/orders/A%2017%2F%C3%A9%3F%23%26%25/confirm');
    });

    it('fills a placeholder used twice and placeholders inside a segment', () => {
      // Act & Assess
      expect(target('/files/{name}.{ext}/{name}', { name: 'a', ext: 'json' })).toBe('/files/a.json/a');
    });

    it('does not fill placeholders found inside a value', () => {
      // Act & Assess
      expect(target('/v1/{a}/{b}', { a: '{b}', b: 'x' })).toBe('/v1/%7Bb%7D/x');
    });

    it.each([
      ['..', '".." segment'],
      ['.', '"." segment'],
      ['..;x', '".." segment'],
      ['a/../b', '".." segment'],
      ['/evil', 'starts with "//"'],
      ['%2e%2e', '".." segment'],
      ['%252e%252e', '".." segment'],
      ['%5c', 'backslash'],
      ['a\\b', 'backslash'],
      ['a\r\nb', 'carriage return'],
      ['\0', 'NUL'],
      ['%00', 'NUL'],
    ])('throws InvalidTaskError when a path parameter is %j', (value, fragment) => {
      // Act & Assess
      expectInvalidTask(() => target('/{id}/x', { id: value }), fragment);
    });

    it.each(['a/b', 'a b', '50%', '%41', 'x.y', '...'])('accepts the harmless path parameter %j', (value) => {
      // Act
      const result = target('/v1/{id}', { id: value });

      // Assess
      expect(result).toBe(`/v1/${encodeURIComponent(value)}`);
    });

    it('throws InvalidTaskError when a placeholder has no value', () => {
      // Act & Assess
      expectInvalidTask(() => target('/v1/{orderId}', {}), 'path placeholder {orderId} has no value in pathParams');
    });

    it('throws InvalidTaskError when a path parameter is not used', () => {
      // Act & Assess
      expectInvalidTask(() => target('/v1/{orderId}', { orderId: '1', orderid: '1' }), 'pathParams.orderid is not used by path');
    });

    it('throws InvalidTaskError when a path parameter is empty', () => {
      // Act & Assess
      expectInvalidTask(() => target('/v1/orders/{id}', { id: '' }), 'pathParams.id must not be empty');
    });

    it('throws InvalidTaskError when a path parameter is a lone surrogate', () => {
      // Act & Assess
      expectInvalidTask(() => target('/v1/{id}', { id: '\uDC00' }), 'pathParams.id is not well-formed Unicode');
    });

    it.each([
      ['an empty placeholder', '/v1/{}', 'must be 1-64 letters'],
      ['a placeholder with a space', '/v1/{order id}', 'must be 1-64 letters'],
      ['an unclosed brace', '/v1/{id', 'unmatched "{" or "}"'],
      ['a stray closing brace', '/v1/id}', 'unmatched "{" or "}"'],
      ['nested braces', '/v1/{{id}}', 'unmatched "{" or "}"'],
    ])('throws InvalidTaskError when the template has %s', (_label, path, fragment) => {
      // Act & Assess
      expectInvalidTask(() => target(path, { id: '1' }), fragment);
    });
  });

  describe('query', () => {
    it('encodes keys and values, repeats keys for arrays and keeps the given order', () => {
      // Act
      const result = target('/v1/orders', {}, { expand: ['items', 'customer'], dryRun: false, limit: 10, 'a b': 'c&d=e', é: '#' });

      // Assess
      expect(result).toBe('/v1/orders?expand=items&expand=customer&dryRun=false&limit=10&a%20b=c%26d%3De&%C3%A9=%23');
    });

    it('leaves out "?" when there is no query', () => {
      // Act & Assess
      expect(target('/v1/orders', {}, { none: [] })).toBe('/v1/orders');
    });

    it('throws InvalidTaskError when a query key or value is a lone surrogate', () => {
      // Act & Assess
      expectInvalidTask(() => target('/v1', {}, { a: '\uD800' }), 'query.a is not well-formed Unicode');
      expectInvalidTask(() => target('/v1', {}, { '\uD800': 'a' }), 'is not well-formed Unicode');
    });

    it('throws InvalidTaskError when a query value is too long', () => {
      // Act & Assess
      expectInvalidTask(() => target('/v1', {}, { a: 'x'.repeat(4097) }), 'query.a is longer than 4096 characters');
    });

    it('throws InvalidTaskError when the whole target is over 8 KiB', () => {
      // Act & Assess
      expectInvalidTask(() => target('/v1', {}, { a: 'x'.repeat(4000), b: 'y'.repeat(4000), c: 'z'.repeat(400) }), 'longer than 8192 characters once encoded');
    });

    it('throws InvalidTaskError when a query value has a type parseHttpTask would refuse', () => {
      // Act & Assess
      expectInvalidTask(() => target('/v1', {}, { a: null as unknown as string }), 'query.a must be a string');
    });
  });

  it('gives the same target for a task that parseHttpTask accepted', () => {
    // Prepare
    const task = parseHttpTask({ service: 'orders', path: '/v1/orders/{id}', pathParams: { id: 7 }, query: { q: 'a b' } });

    // Act & Assess
    expect(buildRequestTarget(task)).toBe('/v1/orders/7?q=a%20b');
  });
});
