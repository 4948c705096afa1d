import { describe, expect, it } from 'vitest';
import { BadResponseError } from '../../../shared/errors/meshErrors.ts';
import { isJsonMediaType, mediaType, parseResponseBody } from '../../../shared/result/parseResponseBody.ts';

describe('Function: parseResponseBody', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/problem+json',
    'application/vnd.api+json; charset=utf-8',
  ])('parses JSON for %s', (contentType) => {
    // Prepare
    const body = Buffer.from('{"data":{"order":{"id":"A-17"}},"n":[1,2]}');

    // Act
    const parsed = parseResponseBody(contentType, body);

    // Assess
    expect(parsed).toEqual({ data: { order: { id: 'A-17' } }, n: [1, 2] });
  });

  it('parses a JSON scalar', () => {
    // Prepare
    const body = Buffer.from('"just a string"');

    // Act
    const parsed = parseResponseBody('application/json', body);

    // Assess
    expect(parsed).toBe('just a string');
  });

  it('takes the first value of a repeated content-type header', () => {
    // Prepare
    const body = Buffer.from('[true]');

    // Act
    const parsed = parseResponseBody(['application/json', 'text/plain'], body);

    // Assess
    expect(parsed).toEqual([true]);
  });

  it.each(['text/plain', 'text/html; charset=utf-8', 'text/csv'])('returns a string for %s', (contentType) => {
    // Prepare
    const body = Buffer.from('héllo, wörld\n');

    // Act
    const parsed = parseResponseBody(contentType, body);

    // Assess
    expect(parsed).toBe('héllo, wörld\n');
  });

  it.each([['application/octet-stream'], ['image/png'], [undefined], ['text-ish/plain']])(
    'returns base64 for %s',
    (contentType) => {
      // Prepare
      const body = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f]);

      // Act
      const parsed = parseResponseBody(contentType, body);

      // Assess
      expect(parsed).toBe('AP8QgH8=');
    },
  );

  it.each([['application/json'], ['application/problem+json'], ['text/plain'], ['image/png'], [undefined]])(
    'returns null for an empty body whatever the type (%s)',
    (contentType) => {
      // Prepare
      const body = Buffer.alloc(0);

      // Act
      const parsed = parseResponseBody(contentType, body);

      // Assess
      expect(parsed).toBeNull();
    },
  );

  it('throws Mesh.BadResponse when a JSON body does not parse', () => {
    // Prepare
    const body = Buffer.from('{"truncated": ');

    // Act
    let caught: unknown;
    try {
      parseResponseBody('application/problem+json; charset=utf-8', body);
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(BadResponseError);
    const error = caught as BadResponseError;
    expect(error.name).toBe('Mesh.BadResponse');
    expect(JSON.parse(error.message)).toEqual({ message: 'Response declared application/problem+json but is not valid JSON' });
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });
});

describe('Function: mediaType', () => {
  it('drops parameters, trims and lower-cases', () => {
    // Prepare
    const header = '  Application/Problem+JSON ; charset=UTF-8';

    // Act
    const type = mediaType(header);

    // Assess
    expect(type).toBe('application/problem+json');
  });

  it('returns an empty string when there is no header', () => {
    // Prepare
    const header = undefined;

    // Act
    const type = mediaType(header);

    // Assess
    expect(type).toBe('');
  });
});

describe('Function: isJsonMediaType', () => {
  it('accepts json and +json types only', () => {
    // Prepare
    const types = ['application/json', 'application/ld+json', 'text/json', 'application/jsonx', 'application/json-seq'];

    // Act
    const verdicts = types.map(isJsonMediaType);

    // Assess
    expect(verdicts).toEqual([true, true, false, false, false]);
  });
});
