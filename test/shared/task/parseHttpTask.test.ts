import { afterEach, describe, expect, it } from 'vitest';
import { InvalidTaskError } from '../../../shared/errors/meshErrors.ts';
import { parseHttpTask } from '../../../shared/task/parseHttpTask.ts';
import { expectInvalidTask } from './expectInvalidTask.ts';

const minimal = { service: 'orders', path: '/v1/orders' };
const withField = (fields: Record<string, unknown>) => ({ ...minimal, ...fields });

describe('Function: parseHttpTask', () => {
  describe('whole input', () => {
    it('returns the typed task with defaults when given the minimal input', () => {
      // Prepare
      const input = { service: 'orders', path: '/v1/orders' };

      // Act
      const task = parseHttpTask(input);

      // Assess
      expect(task).toEqual({
        service: 'orders', method: 'GET', path: '/v1/orders', pathParams: {}, query: {}, target: '/v1/orders', headers: {}, onHttpError: 'throw',
      });
    });

    it('returns every field when given the contract example', () => {
      // Prepare
      const input = {
        service: 'orders', method: 'POST', path: '/v1/orders/{orderId}/confirm', pathParams: { orderId: 'A-17' },
        query: { expand: ['items', 'customer'], dryRun: false }, headers: { 'x-tenant': 'acme' },
        body: { note: 'any JSON value' }, timeoutMs: 5000, successStatus: [200, 201, 202], onHttpError: 'throw',
        idempotencyKey: 'key-1', select: '/data/order',
        context: { Execution: { Id: 'arn:exec' }, State: { Name: 'Confirm', RetryCount: 0 } },
      };

      // Act
      const task = parseHttpTask(input);

      // Assess
      expect(task).toEqual({
        service: 'orders', method: 'POST', path: '/v1/orders/{orderId}/confirm', pathParams: { orderId: 'A-17' },
        query: { expand: ['items', 'customer'], dryRun: false }, target: '/v1/orders/A-17/confirm?expand=items&expand=customer&dryRun=false',
        headers: { 'x-tenant': 'acme' }, body: { kind: 'json', value: { note: 'any JSON value' } }, timeoutMs: 5000, successStatus: [200, 201, 202],
        onHttpError: 'throw', idempotencyKey: 'key-1', select: '/data/order',
        context: { executionId: 'arn:exec', stateName: 'Confirm', retryCount: 0 },
      });
    });

    it.each([
      ['null', null], ['an array', [minimal]], ['a number', 42], ['a string', '{"service":"orders"}'], ['undefined', undefined],
      ['a Date', new Date()], ['a Map', new Map([['service', 'orders']])],
    ])('throws InvalidTaskError when the input is %s', (_label, input) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(input), 'task input must be a JSON object');
    });

    it('names the field when the input has an unknown top-level field', () => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ pathparams: {} })), 'unknown field "pathparams"');
    });

    it('cuts a huge unknown field name in the message', () => {
      // Prepare
      const key = 'k'.repeat(1_000_000);

      // Act
      const error = expectInvalidTask(() => parseHttpTask(withField({ [key]: 1 })), 'unknown field');

      // Assess
      expect(error.message.length).toBeLessThan(600);
    });

    it('adds the service to the error details once the service is known', () => {
      // Act
      const error = expectInvalidTask(() => parseHttpTask(withField({ timeoutMs: 0 })), 'timeoutMs');

      // Assess
      expect(JSON.parse(error.message)).toEqual({ message: error.text, service: 'orders' });
    });

    it('treats a field whose value is undefined as absent', () => {
      // Act
      const task = parseHttpTask(withField({ method: undefined, body: undefined, select: undefined }));

      // Assess
      expect(task.method).toBe('GET');
      expect(task).not.toHaveProperty('body');
    });
  });

  describe('service', () => {
    it.each(['orders', 'a', '0rders-v2', 'a'.repeat(63)])('accepts %s', (service) => {
      // Act & Assess
      expect(parseHttpTask({ service, path: '/x' }).service).toBe(service);
    });

    it.each([
      ['missing', undefined, 'service is required'],
      ['a number', 7, 'service is required'],
      ['empty', '', 'must be a catalog key'],
      ['upper case', 'Orders', 'must be a catalog key'],
      ['a URL', 'https://evil.example.com', 'must be a catalog key'],
      ['starting with "-"', '-orders', 'must be a catalog key'],
      ['64 characters', 'a'.repeat(64), 'must be a catalog key'],
      ['with a trailing newline', 'orders\n', 'must be a catalog key'],
    ])('throws InvalidTaskError when service is %s', (_label, service, fragment) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask({ service, path: '/x' }), fragment);
    });

    it('cuts a huge service value in the message', () => {
      // Act
      const error = expectInvalidTask(() => parseHttpTask({ service: 'A'.repeat(5_000_000), path: '/x' }), 'service');

      // Assess
      expect(error.message.length).toBeLessThan(400);
    });
  });

  describe('method', () => {
    it.each(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'])('accepts %s', (method) => {
      // Act & Assess
      expect(parseHttpTask(withField({ method })).method).toBe(method);
    });

    it.each([['post'], ['OPTIONS'], ['TRACE'], ['CONNECT'], [''], [1], [null]])('throws InvalidTaskError when method is %j', (method) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ method })), 'method must be one of GET, HEAD, POST, PUT, PATCH, DELETE');
    });
  });

  describe('path', () => {
    it('throws InvalidTaskError when path is missing', () => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask({ service: 'orders' }), 'path is required');
    });

    it('keeps the path template as given', () => {
      // Act
      const task = parseHttpTask(withField({ path: '/v1/orders/{id}', pathParams: { id: 'A 1' } }));

      // Assess
      expect(task.path).toBe('/v1/orders/{id}');
    });

    it('throws InvalidTaskError at parse time when a path rule is broken after filling', () => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ path: '/v1/{id}', pathParams: { id: '..' } })), '".." segment');
    });
  });

  describe('pathParams', () => {
    it('turns a number into a string when a path parameter is a number', () => {
      // Act
      const task = parseHttpTask(withField({ path: '/v1/orders/{id}', pathParams: { id: 17 } }));

      // Assess
      expect(task.pathParams).toEqual({ id: '17' });
    });

    it.each([
      ['an array', ['a'], 'pathParams must be an object'],
      ['null', null, 'pathParams must be an object'],
    ])('throws InvalidTaskError when pathParams is %s', (_label, pathParams, fragment) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ pathParams })), fragment);
    });

    it.each([[null], [true], [{}], [['a']], [Number.NaN]])('throws InvalidTaskError when a path parameter is %j', (id) => {
      // Act & Assess
      expectInvalidTask(
        () => parseHttpTask(withField({ path: '/v1/{id}', pathParams: { id } })),
        'pathParams.id must be a string or a finite number',
      );
    });

    it('throws InvalidTaskError when a path parameter is too long', () => {
      // Act & Assess
      expectInvalidTask(
        () => parseHttpTask(withField({ path: '/v1/{id}', pathParams: { id: 'x'.repeat(10_000_000) } })),
        'pathParams.id is longer than 1024 characters',
      );
    });

    it('throws InvalidTaskError when there are too many path parameters', () => {
      // Prepare
      const pathParams = Object.fromEntries(Array.from({ length: 33 }, (_, index) => [`p${index}`, 'x']));

      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ pathParams })), 'pathParams has more than 32 entries');
    });
  });

  describe('query', () => {
    it('accepts strings, numbers, booleans and arrays of them', () => {
      // Prepare
      const query = { a: 'x', b: 1.5, c: true, d: ['y', 2, false], e: [] };

      // Act
      const task = parseHttpTask(withField({ query }));

      // Assess
      expect(task.query).toEqual(query);
    });

    it.each([
      ['null', { a: null }, 'query.a must be a string, a finite number, a boolean, or an array of them'],
      ['an object', { a: { b: 1 } }, 'query.a must be'],
      ['a nested array', { a: [['x']] }, 'query.a[0] must be'],
      ['null inside an array', { a: ['x', null] }, 'query.a[1] must be'],
      ['an empty key', { '': 'x' }, 'query keys must not be empty'],
    ])('throws InvalidTaskError when a query value is %s', (_label, query, fragment) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ query })), fragment);
    });

    it.each([[null], [[]], ['a=b']])('throws InvalidTaskError when query is %j', (query) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ query })), 'query must be an object');
    });

    it('throws InvalidTaskError before copying when a query array is huge', () => {
      // Prepare
      const query = { a: new Array(10_000_000).fill('x') };

      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ query })), 'query has more than 100 values');
    });
  });

  describe('headers', () => {
    it('accepts lower-case names with visible ASCII, space and tab values', () => {
      // Prepare
      const headers = { 'x-tenant': 'acme', accept: 'application/json', 'x-empty': '', 'x-tab': 'a\tb c~' };

      // Act & Assess
      expect(parseHttpTask(withField({ headers })).headers).toEqual(headers);
    });

    it('says names must be lower-case when a header name has upper case', () => {
      // Act & Assess
      expectInvalidTask(
        () => parseHttpTask(withField({ headers: { 'X-Tenant': 'acme' } })),
        'header name "X-Tenant" must match ^[a-z0-9-]+$ (names must be lower-case)',
      );
    });

    it.each([['x_tenant'], ['x tenant'], [':authority'], ['x-ténant'], [''], ['__proto__']])(
      'throws InvalidTaskError when a header name is %j',
      (name) => {
        // Act & Assess
        expectInvalidTask(() => parseHttpTask(withField({ headers: { [name]: 'v' } })), /header name/);
      },
    );

    it.each([
      'host', 'authorization', 'proxy-authorization', 'proxy-connection', 'cookie', 'content-length', 'transfer-encoding',
      'connection', 'te', 'upgrade', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-client-cert', 'forwarded',
      'x-envoy-original-path', 'x-envoy-internal', 'x-b3-traceid', 'b3', 'traceparent', 'tracestate', 'keep-alive', 'expect',
      'idempotency-key', 'content-type',
    ])('throws InvalidTaskError when the task sets the refused header %s', (name) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ headers: { [name]: 'v' } })), `header "${name}" may not be set by a task`);
    });

    it('points to the idempotencyKey field when the task sets idempotency-key', () => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ headers: { 'idempotency-key': 'k' } })), 'use the idempotencyKey field');
    });

    it.each([
      ['a CR', 'a\rb'], ['an LF', 'a\nb'], ['a CRLF injection', 'v\r\nx-injected: 1'], ['a NUL', 'a\0b'],
      ['another control character', 'a\u0001b'], ['DEL', 'a\u007fb'], ['non-ASCII', 'café'],
    ])('throws InvalidTaskError without echoing the value when a header value holds %s', (_label, value) => {
      // Prepare
      const secret = `SECRET-TOKEN-${value}`;

      // Act
      const error = expectInvalidTask(() => parseHttpTask(withField({ headers: { 'x-a': secret } })), 'headers.x-a must hold only');

      // Assess
      expect(error.message).not.toContain('SECRET');
    });

    it.each([[1], [null], [['a']], [{}]])('throws InvalidTaskError when a header value is %j', (value) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ headers: { 'x-a': value } })), 'headers.x-a must be a string');
    });

    it('throws InvalidTaskError without echoing it when a header value is over 8 KiB', () => {
      // Act
      const error = expectInvalidTask(
        () => parseHttpTask(withField({ headers: { 'x-a': 'S'.repeat(8193) } })),
        'headers.x-a is longer than 8192 characters',
      );

      // Assess
      expect(error.message).not.toContain('SSSS');
    });

    it('throws InvalidTaskError when there are more than 50 headers', () => {
      // Prepare
      const headers = Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`x-h${index}`, 'v']));

      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ headers })), 'headers has more than 50 entries');
    });

    it('throws InvalidTaskError when the headers together are over 32 KiB', () => {
      // Prepare
      const headers = Object.fromEntries(Array.from({ length: 5 }, (_, index) => [`x-h${index}`, 'v'.repeat(8000)]));

      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ headers })), 'headers are larger than 32768 bytes together');
    });

    it.each([[null], [[]], ['x-a: 1']])('throws InvalidTaskError when headers is %j', (headers) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ headers })), 'headers must be an object');
    });
  });

  describe('body and rawBody', () => {
    it.each([[{ a: 1 }], [[1, 2]], ['text'], [0], [false], [null]])('keeps any JSON value as a JSON body: %j', (body) => {
      // Act
      const task = parseHttpTask(withField({ method: 'POST', body }));

      // Assess
      expect(task.body).toEqual({ kind: 'json', value: body });
    });

    it('decodes rawBody when given valid base64', () => {
      // Act
      const task = parseHttpTask(withField({ method: 'PUT', rawBody: { contentType: 'application/xml; charset=utf-8', base64: 'PGEvPg==' } }));

      // Assess
      expect(task.body).toEqual({ kind: 'raw', contentType: 'application/xml; charset=utf-8', bytes: Buffer.from('<a/>') });
    });

    it.each(['', 'PGEvPg', 'PGEvPg==', 'PGEvPgA', 'PGEvPgA=', '+/+/'])('accepts the base64 %j', (base64) => {
      // Act
      const task = parseHttpTask(withField({ method: 'POST', rawBody: { contentType: 'application/octet-stream', base64 } }));

      // Assess
      expect(task.body).toEqual({ kind: 'raw', contentType: 'application/octet-stream', bytes: Buffer.from(base64, 'base64') });
    });

    it.each(['PGEvPg=', 'PGEvP', 'PGE vPg==', 'PGEvPg==\n', 'PG-_Pg==', 'PGEv=Pg=', 'PGEvPg===', '====', 'é'])(
      'throws InvalidTaskError when rawBody.base64 is %j',
      (base64) => {
        // Act & Assess
        expectInvalidTask(
          () => parseHttpTask(withField({ method: 'POST', rawBody: { contentType: 'application/octet-stream', base64 } })),
          'rawBody.base64 is not valid base64',
        );
      },
    );

    it.each([
      ['missing', { base64: '' }, 'rawBody.contentType is required'],
      ['empty', { contentType: '', base64: '' }, 'rawBody.contentType is required'],
      ['not a media type', { contentType: 'xml', base64: '' }, 'rawBody.contentType must be a media type'],
      ['holding CRLF', { contentType: 'text/plain\r\nx-a: 1', base64: '' }, 'rawBody.contentType must be a media type'],
      ['without base64', { contentType: 'text/plain' }, 'rawBody.base64 is required'],
      ['with an unknown field', { contentType: 'text/plain', base64: '', data: 'x' }, 'rawBody has an unknown field "data"'],
    ])('throws InvalidTaskError when rawBody is %s', (_label, rawBody, fragment) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ method: 'POST', rawBody })), fragment);
    });

    it('throws InvalidTaskError when rawBody is not an object', () => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ method: 'POST', rawBody: 'PGEvPg==' })), 'rawBody must be an object');
    });

    it('throws InvalidTaskError when both body and rawBody are given', () => {
      // Act & Assess
      expectInvalidTask(
        () => parseHttpTask(withField({ method: 'POST', body: {}, rawBody: { contentType: 'text/plain', base64: '' } })),
        'body and rawBody cannot both be given',
      );
    });

    it.each([
      ['GET', 'body', { body: { a: 1 } }], ['HEAD', 'body', { body: null }], ['GET', 'rawBody', { rawBody: { contentType: 'text/plain', base64: '' } }],
      ['HEAD', 'rawBody', { rawBody: { contentType: 'text/plain', base64: '' } }],
    ])('throws InvalidTaskError when method is %s and %s is given', (method, field, extra) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ method, ...extra })), `${field} is not allowed with ${method}`);
    });

    it('refuses a body when the method is left to its GET default', () => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ body: { a: 1 } })), 'body is not allowed with GET');
    });

    it.each([
      ['a BigInt', { n: 1n }],
      ['a cycle', (() => { const cyclic: Record<string, unknown> = {}; cyclic.self = cyclic; return cyclic; })()],
      ['a function', () => 1],
    ])('throws InvalidTaskError when the body holds %s', (_label, body) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ method: 'POST', body })), 'body cannot be serialized as JSON');
    });
  });

  describe('timeoutMs', () => {
    it.each([1, 5000, 900_000])('accepts %d', (timeoutMs) => {
      // Act & Assess
      expect(parseHttpTask(withField({ timeoutMs })).timeoutMs).toBe(timeoutMs);
    });

    it.each([[0], [-1], [900_001], [1.5], ['5000'], [null], [Number.POSITIVE_INFINITY]])('throws InvalidTaskError when timeoutMs is %j', (timeoutMs) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ timeoutMs })), 'timeoutMs must be an integer from 1 to 900000');
    });
  });

  describe('successStatus', () => {
    it('keeps the list when given distinct statuses', () => {
      // Act & Assess
      expect(parseHttpTask(withField({ successStatus: [200, 404, 100, 599] })).successStatus).toEqual([200, 404, 100, 599]);
    });

    it.each([
      ['empty', [], 'successStatus must be a non-empty array'],
      ['not an array', 200, 'successStatus must be a non-empty array'],
      ['below 100', [99], 'successStatus[0] must be an integer from 100 to 599'],
      ['above 599', [200, 600], 'successStatus[1] must be an integer from 100 to 599'],
      ['a fraction', [200.5], 'successStatus[0] must be an integer'],
      ['a string', ['200'], 'successStatus[0] must be an integer'],
      ['a duplicate', [200, 201, 200], 'successStatus lists 200 twice'],
    ])('throws InvalidTaskError when successStatus is %s', (_label, successStatus, fragment) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ successStatus })), fragment);
    });
  });

  describe('onHttpError', () => {
    it.each(['throw', 'return'])('accepts %s', (onHttpError) => {
      // Act & Assess
      expect(parseHttpTask(withField({ onHttpError })).onHttpError).toBe(onHttpError);
    });

    it.each([['THROW'], ['ignore'], [null], [true]])('throws InvalidTaskError when onHttpError is %j', (onHttpError) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ onHttpError })), 'onHttpError must be "throw" or "return"');
    });
  });

  describe('idempotencyKey', () => {
    it.each(['k', ' ~!', 'x'.repeat(255)])('accepts %j', (idempotencyKey) => {
      // Act & Assess
      expect(parseHttpTask(withField({ idempotencyKey })).idempotencyKey).toBe(idempotencyKey);
    });

    it.each([[''], ['x'.repeat(256)], ['a\nb'], ['a\tb'], ['clé'], ['\u007f'], [42]])('throws InvalidTaskError when idempotencyKey is %j', (idempotencyKey) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ idempotencyKey })), 'idempotencyKey must be 1-255 printable ASCII');
    });
  });

  describe('select', () => {
    it.each(['', '/', '/data/order', '/items/0', '/a~0b/c~1d', '/~01', '//x', '/ü'])('accepts the JSON Pointer %j', (select) => {
      // Act & Assess
      expect(parseHttpTask(withField({ select })).select).toBe(select);
    });

    it.each(['data', '#/data', '/a~', '/a~2', '/~/x', '~0'])('throws InvalidTaskError when select is %j', (select) => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ select })), 'select must be a JSON Pointer (RFC 6901)');
    });

    it('throws InvalidTaskError when select is not a string', () => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ select: ['data'] })), 'select must be a string');
    });
  });

  describe('context', () => {
    it('reads the Step Functions context object when given one', () => {
      // Prepare
      const context = {
        Execution: { Id: 'arn:aws:states:eu-west-1:1:execution:sm:run', Name: 'run', Input: { big: true } },
        State: { Name: 'Confirm', EnteredTime: '2024-01-01T00:00:00Z', RetryCount: 2 },
        Map: { Item: { Index: 3, Value: { x: 1 } } },
        StateMachine: { Id: 'arn:sm', Name: 'sm' },
        Task: { Token: 'token' },
      };

      // Act & Assess
      expect(parseHttpTask(withField({ context })).context).toEqual({
        executionId: 'arn:aws:states:eu-west-1:1:execution:sm:run', stateName: 'Confirm', retryCount: 2, mapIndex: 3,
      });
    });

    it('throws InvalidTaskError when context is not an object', () => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ context: 'ctx' })), 'context must be an object');
    });
  });

  describe('prototype pollution', () => {
    afterEach(() => {
      delete (Object.prototype as Record<string, unknown>).path;
      delete (Object.prototype as Record<string, unknown>).x;
    });

    it('keeps __proto__ and constructor as plain keys when they come from JSON text', () => {
      // Prepare
      const input: unknown = JSON.parse(
        '{"service":"orders","path":"/v1/{__proto__}","pathParams":{"__proto__":"p"},"query":{"__proto__":"q","constructor":"c"}}',
      );

      // Act
      const task = parseHttpTask(input);

      // Assess
      expect(Object.getPrototypeOf(task.pathParams)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(task.query)).toBe(Object.prototype);
      expect(Object.hasOwn(task.pathParams, '__proto__')).toBe(true);
      expect(Object.keys(task.query)).toEqual(['__proto__', 'constructor']);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });

    it('does not pollute Object.prototype when a __proto__ value is an object', () => {
      // Prepare
      const input: unknown = JSON.parse(
        '{"service":"orders","path":"/v1","query":{"__proto__":{"x":"polluted"}},"context":{"__proto__":{"x":"polluted"}}}',
      );

      // Act
      expectInvalidTask(() => parseHttpTask(input), 'query.__proto__ must be');

      // Assess
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });

    it('refuses a top-level __proto__ key as an unknown field', () => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(JSON.parse('{"service":"orders","path":"/v1","__proto__":{"x":1}}')), 'unknown field "__proto__"');
    });

    it('ignores inherited fields when Object.prototype is already polluted', () => {
      // Prepare
      (Object.prototype as Record<string, unknown>).path = '/admin';

      // Act & Assess
      expectInvalidTask(() => parseHttpTask({ service: 'orders' }), 'path is required');
    });

    it('does not fill a placeholder from an inherited property', () => {
      // Act & Assess
      expectInvalidTask(() => parseHttpTask(withField({ path: '/v1/{constructor}' })), 'path placeholder {constructor} has no value in pathParams');
    });

    it('ignores inherited context sections', () => {
      // Prepare
      const context: unknown = JSON.parse('{"__proto__":{"Execution":{"Id":"inherited"}}}');

      // Act & Assess
      expect(parseHttpTask(withField({ context })).context).toEqual({});
    });
  });

  describe('input that is not JSON data', () => {
    it('throws InvalidTaskError when reading the input throws', () => {
      // Prepare
      const input = new Proxy({}, { ownKeys: () => { throw new Error('boom'); } });

      // Act & Assess
      expectInvalidTask(() => parseHttpTask(input), /task input/);
    });

    it('throws InvalidTaskError when a getter throws', () => {
      // Prepare
      const input = { service: 'orders', get path(): string { throw new TypeError('boom'); } };

      // Act
      const error = expectInvalidTask(() => parseHttpTask(input), 'task input could not be read as JSON data');

      // Assess
      expect(error.cause).toBeInstanceOf(TypeError);
    });

    it('throws only InvalidTaskError when a JSON body is nested very deeply', () => {
      // Prepare
      const body: unknown = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);

      // Act
      let outcome: unknown;
      try {
        outcome = parseHttpTask(withField({ method: 'POST', body }));
      } catch (error) {
        outcome = error;
      }

      // Assess: refused here (V8 cannot serialize it), never a RangeError escaping
      expect(outcome).toBeInstanceOf(InvalidTaskError);
      expect((outcome as InvalidTaskError).text).toContain('body cannot be serialized as JSON');
    });
  });
});
