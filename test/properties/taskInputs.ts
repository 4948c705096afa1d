import fc from 'fast-check';

/**
 * What a generated input must end in: `output` (a 2xx answer through the mesh), `refused`
 * (Mesh.InvalidTask or Mesh.UnknownService before any I/O), or `any` (output or a Mesh.* error).
 */
export type Expectation = 'output' | 'refused' | 'any';

/** One generated Lambda event, as the JSON text Step Functions would send. */
export interface GeneratedTask {
  text: string;
  expect: Expectation;
}

const SERVICES = ['orders', 'orders-basic', 'orders-post', 'orders-selfsigned'] as const;
const as = (expect: Expectation) => (value: unknown): GeneratedTask => ({ text: JSON.stringify(value), expect });

// ---- valid pieces: everything here passes the contract's rules --------------------------------

/** Characters safe in an id whatever the decoding depth: no '.', '%', '\', controls or NFKC look-alikes. */
const ID_CHARS = ['a', 'b', 'Z', '0', '9', '-', '_', '~', '!', '$', '&', "'", '(', ')', '*', '+', ',', ';', '=', ':', '@', ' ', '/', 'é', 'ß', 'Ω', '日', '本', '😀', 'ﬁ'];
const safeId = fc.array(fc.constantFrom(...ID_CHARS), { minLength: 1, maxLength: 12 }).map((chars) => chars.join(''));
const unicodeText = fc.string({ unit: 'grapheme', maxLength: 16 });
const queryKey = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const queryScalar = fc.oneof(unicodeText, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
const validQuery = fc.dictionary(queryKey, fc.oneof(queryScalar, fc.array(queryScalar, { maxLength: 3 })), { maxKeys: 4 });
const headerName = fc.stringMatching(/^x-(tenant|meshgate-[a-z0-9]{1,12})$/);
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);
const validHeaders = fc.dictionary(headerName, headerValue, { maxKeys: 3 });
const validContext = fc.record(
  {
    Execution: fc.record({ Id: fc.string({ maxLength: 80 }) }),
    State: fc.record({ Name: fc.string({ maxLength: 40 }), RetryCount: fc.nat({ max: 10 }) }),
    Map: fc.record({ Item: fc.record({ Index: fc.nat({ max: 1000 }) }) }),
  },
  { requiredKeys: [] },
);
const jsonBody = fc.jsonValue({ maxDepth: 4 });
const common = fc.record(
  {
    query: validQuery,
    headers: validHeaders,
    timeoutMs: fc.integer({ min: 5_000, max: 900_000 }),
    onHttpError: fc.constantFrom('throw', 'return'),
    context: validContext,
    idempotencyKey: fc.stringMatching(/^[\x20-\x7e]{1,64}$/),
  },
  { requiredKeys: [] },
);

/** Tasks the contract accepts, aimed at routes of the orders workload that answer 2xx. */
export const validTasks: fc.Arbitrary<GeneratedTask> = fc
  .tuple(
    fc.constantFrom(...SERVICES),
    common,
    fc.oneof(
      fc.record({ method: fc.constantFrom('GET', 'HEAD', undefined), id: safeId, select: fc.constantFrom(undefined, '/id', '/status') }).map(
        ({ method, id, select }) => ({ method, path: '/v1/orders/{orderId}', pathParams: { orderId: id }, ...(select && method !== 'HEAD' ? { select } : {}) }),
      ),
      fc.record({ method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), a: safeId, b: fc.oneof(safeId, fc.integer()) }).map(
        ({ method, a, b }) => ({ method, path: '/v1/orders/echo/{a}/{b}', pathParams: { a, b }, ...(method === 'GET' ? {} : { body: { a } }) }),
      ),
      fc.record({ body: fc.dictionary(fc.string({ maxLength: 8 }).filter((key) => key !== 'id'), jsonBody, { maxKeys: 5 }) }).map(({ body }) => ({
        method: 'POST',
        path: '/v1/orders',
        body,
      })),
      fc.record({ method: fc.constantFrom('PUT', 'PATCH'), id: safeId, body: jsonBody }).map(({ method, id, body }) => ({
        method,
        path: '/v1/orders/{orderId}',
        pathParams: { orderId: id },
        body,
      })),
      fc.record({ id: safeId, raw: fc.uint8Array({ maxLength: 64 }) }).map(({ id, raw }) => ({
        method: 'POST',
        path: '/v1/orders/{orderId}/confirm',
        pathParams: { orderId: id },
        rawBody: { contentType: 'application/octet-stream', base64: Buffer.from(raw).toString('base64') },
      })),
    ),
  )
  .map(([service, extra, route]) => {
    const task: Record<string, unknown> = { service, ...extra, ...route };
    if (task.method === undefined) delete task.method;
    return as('output')(task);
  });

// ---- hostile paths: traversal in every encoding, schemes, authorities, control characters -------

const DOUBLE_DOTS = ['..', '%2e%2e', '%2E%2E', '%2e%2E', '%2e.', '.%2e', '.%2E', '%252e%252e', '%252E.', '%25252e%25252e', '%2e%252e'];
const SINGLE_DOTS = ['.', '%2e', '%2E', '%252e', '%25252E'];
const BACKSLASHES = ['\\', '%5c', '%5C', '%255c', '%25255C'];
const CONTROLS = ['\r', '\n', '\0', '%0d', '%0a', '%00', '%0D', '%0A', '%250a', '%250D', '%2500', '\r\n'];
const ROOTS = ['/v1/orders', '/v1/orders/7', '/v1/admin'];

const traversalPath = fc
  .tuple(fc.constantFrom(...ROOTS), fc.constantFrom(...DOUBLE_DOTS, ...SINGLE_DOTS), fc.constantFrom('', '/admin', '/', '/x/y'), fc.nat({ max: 3 }))
  .map(([root, dots, tail, repeat]) => `${root}${`/${dots}`.repeat(repeat + 1)}${tail}`);
const backslashPath = fc
  .tuple(fc.constantFrom(...ROOTS), fc.constantFrom(...BACKSLASHES), fc.constantFrom('..', 'admin', 'x', ''))
  .map(([root, slash, tail]) => `${root}${slash}${tail}`);
const controlPath = fc
  .tuple(fc.constantFrom(...ROOTS), fc.constantFrom(...CONTROLS), fc.constantFrom('', 'x', 'HTTP/1.1\r\nHost: evil'))
  .map(([root, control, tail]) => `${root}/a${control}${tail}`);
const schemePath = fc.constantFrom(
  'http://evil.example/v1/orders',
  'https://orders.mesh.local/v1/orders/7',
  '//evil.example/v1/orders',
  '///evil.example/v1/orders',
  'v1/orders/7',
  '',
  ' /v1/orders/7',
  'file:///etc/passwd',
  'javascript:alert(1)',
  '/\\evil.example/v1/orders',
);
/** Placeholder values that turn into traversal or control characters once the path is filled. */
const hostileParam = fc.constantFrom('..', '.', '../admin', '..\\admin', '%2e%2e', '%2e', '..%2fadmin', 'x\r\ny', '\\', 'a\0b', '%5c', '%0a', '%252e%252e');

/** Paths the contract refuses (Mesh.InvalidTask), directly or once the placeholders are filled. */
export const hostilePaths: fc.Arbitrary<GeneratedTask> = fc
  .tuple(
    fc.constantFrom(...SERVICES),
    fc.constantFrom('GET', 'POST', 'DELETE'),
    fc.oneof(
      fc.oneof(traversalPath, backslashPath, controlPath, schemePath).map((path) => ({ path })),
      hostileParam.map((value) => ({ path: '/v1/orders/{orderId}', pathParams: { orderId: value } })),
      hostileParam.map((value) => ({ path: '/v1/orders/{a}/{b}', pathParams: { a: 'x', b: value } })),
    ),
  )
  .map(([service, method, target]) => as('refused')({ service, method, ...target }));

/** Paths that are well-formed but outside the service's prefixes, or a service not in the catalog. */
export const unknownTargets: fc.Arbitrary<GeneratedTask> = fc
  .oneof(
    fc.record({ service: fc.constantFrom('orders-basic', 'orders-post'), path: fc.constantFrom('/v1/admin', '/v1/admin/users', '/v1/ordersX', '/v2/orders', '/', '/v1') }),
    fc.record({ service: fc.constantFrom('billing', 'orders-x', 'a'.repeat(63), 'ingress', 'default'), path: fc.constant('/v1/orders/7') }),
    fc.record({ service: fc.constant('orders-basic'), method: fc.constantFrom('OPTIONS', 'TRACE', 'CONNECT'), path: fc.constant('/v1/orders/7') }),
  )
  .map(as('refused'));

// ---- header injection ---------------------------------------------------------------------------

const REFUSED_HEADER_NAMES = [
  'host', 'authorization', 'cookie', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'te', 'upgrade',
  'forwarded', 'traceparent', 'tracestate', 'keep-alive', 'expect', 'idempotency-key', 'proxy-authorization',
  'proxy-connection', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-client-cert', 'x-envoy-original-path',
  'x-envoy-internal', 'x-b3-traceid', 'x-b3-sampled',
];
const BAD_HEADER_NAMES = ['X-Tenant', 'x tenant', 'x:tenant', 'x_tenant', 'x-tenant\r\nx-evil', '', 'é', 'x-tenant ', ':authority', ':path'];
const BAD_HEADER_VALUES = ['a\r\nx-evil: 1', 'a\nb', 'a\rb', 'a\0b', 'caf\u00e9', '\u2028', '\u0085', '\x01', '\x7f', 'x'.repeat(9000)];

/** Header names a task may not set, names that are not lower-case tokens, and values that could inject. */
export const headerInjections: fc.Arbitrary<GeneratedTask> = fc
  .tuple(
    fc.constantFrom(...SERVICES),
    fc.oneof(
      fc.tuple(fc.constantFrom(...REFUSED_HEADER_NAMES), headerValue),
      fc.tuple(fc.constantFrom(...BAD_HEADER_NAMES), headerValue),
      fc.tuple(fc.constantFrom('x-tenant', 'accept', 'x-meshgate-a'), fc.constantFrom(...BAD_HEADER_VALUES)),
      fc.tuple(fc.constantFrom('x-tenant'), fc.constantFrom<unknown>(1, null, true, [], {}, ['a'])),
    ),
    validHeaders,
  )
  .map(([service, [name, value], others]) => {
    const headers: Record<string, unknown> = { ...others };
    Object.defineProperty(headers, name, { value, enumerable: true });
    return as('refused')({ service, path: '/v1/orders/7', headers });
  });

/** More headers or header bytes than the caps allow. */
const tooManyHeaders = fc.integer({ min: 51, max: 200 }).map((count) => {
  const headers = Object.fromEntries(Array.from({ length: count }, (_, index) => [`x-h${index}`, 'v']));
  return as('refused')({ service: 'orders', path: '/v1/orders/7', headers });
});

// ---- wrong types and unknown fields -------------------------------------------------------------

const WRONG_VALUES: Record<string, readonly unknown[]> = {
  service: [1, null, [], {}, true, '', 'Orders', 'https://evil.example', 'orders/../x', '-orders', 'orders.mesh.local', 'a'.repeat(64), ' orders'],
  method: ['get', 'Get', 'OPTIONS', 'TRACE', 'CONNECT', 1, null, ['GET'], '', 'GET '],
  path: [1, null, {}, [], true, ['/v1/orders']],
  pathParams: ['x', 1, [], null, { orderId: {} }, { orderId: null }, { orderId: ['a'] }, { orderId: true }],
  query: ['a=b', 1, [], null, { a: { b: 1 } }, { a: [[1]] }, { a: null }, { '': 'x' }, { a: [{}] }],
  headers: ['x-tenant: a', 1, [], null, [['x-tenant', 'a']]],
  timeoutMs: ['5000', 0, -1, 1.5, 900_001, null, true, [], {}],
  successStatus: ['200', 200, [], [99], [600], [200.5], ['200'], [200, 200], null],
  onHttpError: ['ignore', null, 1, 'RETURN', true],
  idempotencyKey: ['', 'k'.repeat(256), 'ключ', 'a\nb', 1, null, ['k']],
  select: ['id', 1, null, '/a~2', '/a~', '#/id'],
  context: ['x', 1, [], null, { Execution: 'x' }, { State: { RetryCount: -1 } }, { Execution: { Id: 1 } }, { Map: { Item: { Index: 1.5 } } }],
  rawBody: ['x', { contentType: 'text/plain' }, { base64: 'eA==' }, { contentType: 'bad type', base64: 'eA==' }, { contentType: 'text/plain', base64: '@@@' }, { contentType: 'text/plain', base64: 'eA==', extra: 1 }],
};
const UNKNOWN_FIELDS = ['verb', 'url', 'host', 'Service', 'pathparams', 'timeout', '__proto__', 'constructor', 'prototype', 'body ', ''];

/** A valid base task with one field of the wrong type or value, an unknown field, or not an object at all. */
export const wrongTypes: fc.Arbitrary<GeneratedTask> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...Object.keys(WRONG_VALUES)), fc.nat())
    .map(([field, pick]) => {
      const values = WRONG_VALUES[field]!;
      const base: Record<string, unknown> = { service: 'orders', method: 'POST', path: '/v1/orders/{orderId}', pathParams: { orderId: '7' } };
      base[field] = values[pick % values.length];
      return as('refused')(base);
    }),
  fc.tuple(fc.constantFrom(...UNKNOWN_FIELDS), fc.jsonValue({ maxDepth: 2 })).map(([field, value]) => {
    // Built as text: an object literal cannot hold an own "__proto__" that JSON.stringify would write.
    const text = `{"service":"orders","path":"/v1/orders/7",${JSON.stringify(field)}:${JSON.stringify(value ?? null)}}`;
    return { text, expect: 'refused' as const };
  }),
  fc.constantFrom<unknown>([], 'orders', 1, null, true, [{ service: 'orders', path: '/v1/orders/7' }]).map(as('refused')),
  fc.record({ method: fc.constantFrom('GET', 'HEAD'), body: fc.jsonValue({ maxDepth: 2 }) }).map(({ method, body }) =>
    as('refused')({ service: 'orders', method, path: '/v1/orders/7', body }),
  ),
  fc.jsonValue({ maxDepth: 2 }).map((body) => as('refused')({ service: 'orders', method: 'POST', path: '/v1/orders', body, rawBody: { contentType: 'text/plain', base64: '' } })),
);

// ---- odd unicode: either outcome, but never an unsafe request ----------------------------------

const ODD = [
  '\u202e', '\u200b', '\u200d', '\ufeff', '\u00ad', '\u0301', 'e\u0301', '．', '．．', '‥', '＼', '／', '%ef%bc%8e%ef%bc%8e', '%c0%ae%c0%ae',
  '%e0%80%ae', '%u002e%u002e', '..;', ';', '\ud800', '\udfff', '\ud83d', '😀', '𝒪', 'İ', 'ﬀ', '\u2028', '\u0085', '\x7f', '\x1b[31m', '%', '%z', '%4', '%ff',
  '{', '}', '{orderId', '#', '?', '?x=1', '&', 'ＡＢＣ', 'ᴬ', '\u3000', 'ǅ',
];
const oddText = fc.array(fc.oneof(fc.constantFrom(...ODD), fc.string({ unit: 'binary', maxLength: 3 }), safeId), { minLength: 1, maxLength: 5 }).map((parts) => parts.join(''));

/** Odd unicode (bidi overrides, lone surrogates, NFKC look-alikes, overlong UTF-8) in every field. */
export const oddUnicode: fc.Arbitrary<GeneratedTask> = fc
  .record({
    service: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...SERVICES) }, { weight: 1, arbitrary: oddText }),
    where: fc.constantFrom('path', 'param', 'query', 'queryKey', 'header', 'body', 'select', 'idempotencyKey', 'context'),
    text: oddText,
    method: fc.constantFrom('GET', 'POST'),
  })
  .map(({ service, where, text, method }) => {
    const task: Record<string, unknown> = { service, method, path: '/v1/orders/echo/{name}', pathParams: { name: 'x' } };
    if (where === 'path') task.path = `/v1/orders/echo/${text}`;
    if (where === 'param') task.pathParams = { name: text };
    if (where === 'query') task.query = { q: text };
    if (where === 'queryKey') task.query = { [text]: 'v' };
    if (where === 'header') task.headers = { 'x-tenant': text };
    if (where === 'body' && method === 'POST') task.body = { text };
    if (where === 'select') task.select = `/${text}`;
    if (where === 'idempotencyKey') task.idempotencyKey = text;
    if (where === 'context') task.context = { Execution: { Id: text }, State: { Name: text } };
    return as('any')(task);
  });

// ---- huge and deeply nested -------------------------------------------------------------------

function nested(depth: number, open: string, close: string, leaf = '1'): string {
  return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;
}

/** Huge fields (over the caps, or a megabyte body) and nesting deeper than JSON.stringify's stack. */
export const hugeAndDeep: fc.Arbitrary<GeneratedTask> = fc.oneof(
  fc.integer({ min: 2_049, max: 100_000 }).map((length) => as('refused')({ service: 'orders', path: `/v1/orders/${'a'.repeat(length)}` })),
  fc.integer({ min: 1_025, max: 50_000 }).map((length) => as('refused')({ service: 'orders', path: '/v1/orders/{id}', pathParams: { id: 'b'.repeat(length) } })),
  fc.integer({ min: 101, max: 2_000 }).map((count) => as('refused')({ service: 'orders', path: '/v1/orders/7', query: { q: Array.from({ length: count }, (_, index) => index) } })),
  tooManyHeaders,
  fc.integer({ min: 33, max: 500 }).map((count) => as('refused')({ service: 'orders', path: '/v1/orders/7', pathParams: Object.fromEntries(Array.from({ length: count }, (_, index) => [`p${index}`, 'v'])) })),
  // Through the mesh: a body of up to 1.5 MB is sent; the echo comes back over maxResponseBytes or the output cap.
  fc.integer({ min: 100_000, max: 1_500_000 }).map((bytes) => as('any')({ service: 'orders', method: 'POST', path: '/v1/orders', body: { blob: 'z'.repeat(bytes) } })),
  // Nesting JSON.parse accepts but JSON.stringify cannot write back: refused, not a stack overflow.
  fc.tuple(fc.integer({ min: 20_000, max: 120_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}'])).map(([depth, [open, close]]) => ({
    text: `{"service":"orders","method":"POST","path":"/v1/orders","body":${nested(depth, open!, close!)}}`,
    expect: 'refused' as const,
  })),
  // Deep nesting in fields that are type-checked, not walked: refused at once.
  fc.tuple(fc.constantFrom('query', 'headers', 'pathParams', 'select', 'successStatus'), fc.integer({ min: 1_000, max: 100_000 })).map(([field, depth]) => ({
    text: `{"service":"orders","path":"/v1/orders/7","${field}":${nested(depth, '{"a":', '}')}}`,
    expect: 'refused' as const,
  })),
  // The context object's unknown members are ignored (Step Functions may add some), however deep.
  fc.integer({ min: 1_000, max: 100_000 }).map((depth) => ({
    text: `{"service":"orders","path":"/v1/orders/7","context":{"Execution":{"Id":"x"},"Extra":${nested(depth, '{"a":', '}')}}}`,
    expect: 'output' as const,
  })),
  // Header values within their own cap but over 32 KiB together.
  fc.integer({ min: 5, max: 20 }).map((count) =>
    as('refused')({ service: 'orders', path: '/v1/orders/7', headers: Object.fromEntries(Array.from({ length: count }, (_, index) => [`x-h${index}`, 'v'.repeat(8_000)])) }),
  ),
  // Nesting the service can take: reaches it and comes back.
  fc.integer({ min: 10, max: 400 }).map((depth) => ({
    text: `{"service":"orders","method":"PUT","path":"/v1/orders/deep","body":${nested(depth, '{"a":', '}')}}`,
    expect: 'output' as const,
  })),
);

/** Arbitrary JSON values, and task-shaped objects with arbitrary values in every field. */
export const arbitraryJson: fc.Arbitrary<GeneratedTask> = fc.oneof(
  fc.jsonValue().map(as('any')),
  fc
    .record(
      {
        service: fc.oneof(fc.constantFrom(...SERVICES), fc.jsonValue({ maxDepth: 1 })),
        method: fc.jsonValue({ maxDepth: 1 }),
        path: fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }).map((text) => `/v1/orders/${text}`), fc.jsonValue({ maxDepth: 1 })),
        pathParams: fc.jsonValue({ maxDepth: 2 }),
        query: fc.jsonValue({ maxDepth: 2 }),
        headers: fc.jsonValue({ maxDepth: 2 }),
        body: fc.jsonValue({ maxDepth: 3 }),
        timeoutMs: fc.jsonValue({ maxDepth: 1 }),
        select: fc.jsonValue({ maxDepth: 1 }),
        context: fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: ['service', 'path'] },
    )
    .map(as('any')),
);
