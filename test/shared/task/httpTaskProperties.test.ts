import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidTaskError } from '../../../shared/errors/meshErrors.ts';
import { buildRequestTarget } from '../../../shared/task/buildRequestTarget.ts';
import type { HttpTask } from '../../../shared/task/httpTask.ts';
import { parseHttpTask } from '../../../shared/task/parseHttpTask.ts';

// Raised by CI or by hand for deeper searches: MESHGATE_PROPERTY_RUNS=100000 npx vitest run test/shared/task
const RUNS = Number(process.env.MESHGATE_PROPERTY_RUNS ?? 2000);
const GENERIC = 'could not be read';

/** Path fragments chosen to hit every rule: traversal in all its encodings, separators, escapes, unicode. */
const SAFE_FRAGMENTS = ['v1', 'orders', 'a b', 'é', '😀', '...', 'x.y', '%41', '%25', '%2F', '%C3%A9', '~', '+', '@', ':', '-', '"', '{p0}', '{p1}'];
const DANGEROUS_FRAGMENTS = [
  '', '/', '//', '.', '..', '%2e', '%2E', '%2e%2e', '.%2e', '%2E.', '%252e', '%2f', '%5c', '%5C', '\\', '%00', '%0a', '%0D',
  '\r', '\n', '\0', '\t', '%', '%z', '%4', '%c0%ae', '%ff', ';', '..;', '?', '#', '{', '}', '{bad name}', 'http:', '<', '\uD800',
  '．', '%EF%BC%8E', '＼', '‥',
];
const fragment = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...SAFE_FRAGMENTS) },
  { weight: 1, arbitrary: fc.constantFrom(...DANGEROUS_FRAGMENTS) },
);
const fragmentText = fc.array(fragment, { maxLength: 3 }).map((parts) => parts.join(''));
const paramValue = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...SAFE_FRAGMENTS), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fragmentText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer() },
);
/** A template with values for the placeholders it uses (sometimes one too many), or raw text now and then. */
const pathWithParams = fc.oneof(
  {
    weight: 18,
    arbitrary: fc
      .tuple(fc.array(fragmentText.filter((text) => text !== ''), { maxLength: 5 }), paramValue, paramValue, fc.constantFrom(undefined, '__proto__', 'constructor', 'x'))
      .map(([segments, p0, p1, extra]) => {
        const path = `/${segments.join('/')}`;
        const params: Record<string, unknown> = {};
        if (path.includes('{p0}')) params.p0 = p0;
        if (path.includes('{p1}')) params.p1 = p1;
        if (extra !== undefined && Math.abs(Number(p0)) % 7 === 1) Object.defineProperty(params, extra, { value: 'v', enumerable: true });
        return { path, pathParams: params };
      }),
  },
  { weight: 1, arbitrary: fc.record({ path: fc.string({ unit: 'binary', maxLength: 40 }), pathParams: fc.constant({}) }) },
  { weight: 1, arbitrary: fc.record({ path: fc.string({ unit: 'binary', maxLength: 40 }).map((text) => `/${text}`), pathParams: fc.constant({}) }) },
);
const trickyKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', ''), fc.string({ maxLength: 8 }));
const scalar = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.double(), fc.boolean(), fc.constant(null));
const queryArb = fc.dictionary(trickyKey, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { maxKeys: 3 });
const headerName = fc.oneof(
  fc.constantFrom('x-tenant', 'accept', 'host', 'authorization', 'x-forwarded-for', 'X-Tenant', 'content-type', '__proto__', 'b3'),
  fc.string({ maxLength: 10 }),
);
const headersArb = fc.dictionary(headerName, fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }), fc.jsonValue()), { maxKeys: 3 });
/** Mostly absent, often plausible, sometimes any JSON value at all. */
const optional = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(undefined) },
    { weight: 6, arbitrary: arb },
    { weight: 1, arbitrary: fc.jsonValue() },
  );

/** Task-shaped input: known fields with mostly plausible values, sometimes arbitrary JSON, sometimes an unknown field. */
const taskInput = fc
  .record({
    service: fc.oneof(
      { weight: 18, arbitrary: fc.constantFrom('orders', 'a-1') },
      { weight: 1, arbitrary: fc.constantFrom('Orders', 'https://x') },
      { weight: 1, arbitrary: fc.jsonValue() },
    ),
    method: optional(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'POST', 'PUT', 'post', 'TRACE')),
    target: pathWithParams,
    query: optional(queryArb),
    headers: optional(headersArb),
    body: optional(fc.jsonValue()),
    rawBody: optional(fc.record({ contentType: fc.constantFrom('text/plain', 'bad'), base64: fc.base64String() }, { requiredKeys: [] })),
    timeoutMs: optional(fc.integer({ min: -10, max: 1_000_000 })),
    successStatus: optional(fc.array(fc.integer({ min: 90, max: 610 }), { maxLength: 4 })),
    onHttpError: optional(fc.constantFrom('throw', 'return', 'x')),
    idempotencyKey: optional(fc.string({ unit: 'binary', maxLength: 10 })),
    select: optional(fc.string({ maxLength: 10 })),
    context: optional(fc.record({ Execution: fc.record({ Id: fc.string() }), State: fc.record({ Name: fc.string(), RetryCount: fc.nat() }) }, { requiredKeys: [] })),
    extra: fc.oneof({ weight: 19, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('pathparams', 'timeout', '__proto__') }),
  })
  .map(({ target, extra, ...fields }) => {
    const input: Record<string, unknown> = { ...fields, path: target.path, pathParams: target.pathParams };
    if (typeof extra === 'string') Object.defineProperty(input, extra, { value: 1, enumerable: true });
    return input;
  });

type Outcome = { task: HttpTask } | { error: InvalidTaskError };

function outcomeOf(input: unknown): Outcome {
  try {
    return { task: parseHttpTask(input) };
  } catch (error) {
    // Anything but Mesh.InvalidTask escaping fails the property with the real error.
    if (!(error instanceof InvalidTaskError)) throw error;
    return { error };
  }
}

const PCHAR_PATH = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;
const ENCODED_QUERY = /^[A-Za-z0-9\-._~!'()*%=&]*$/;

/** The safety promise, checked with the platform's decoder rather than the implementation's. */
function expectSafeTarget(target: string): void {
  expect(target.startsWith('/')).toBe(true);
  expect(target.startsWith('//')).toBe(false);
  expect(target).not.toContain('#');
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  expect(path).toMatch(PCHAR_PATH);
  if (queryAt !== -1) expect(target.slice(queryAt + 1)).toMatch(ENCODED_QUERY);
  let decoded = decodeURIComponent(path); // throws (failing the property) on invalid UTF-8
  for (let round = 0; round < 2; round += 1) {
    for (const form of [decoded, decoded.normalize('NFKC')]) {
      for (const bad of ['\\', '\r', '\n', '\0']) expect(form).not.toContain(bad);
      expect(form.startsWith('//')).toBe(false);
      for (const segment of form.split('/')) {
        const name = segment.split(';')[0];
        expect(name === '.' || name === '..').toBe(false);
      }
    }
    try {
      decoded = decodeURIComponent(decoded); // a second decoding hop (ingress, then service)
    } catch {
      break; // a literal "%" that is not an escape: nothing more to decode
    }
  }
}

describe('Function: parseHttpTask (properties)', () => {
  let prototypeNames: string[];
  beforeAll(() => {
    prototypeNames = Object.getOwnPropertyNames(Object.prototype);
  });
  afterAll(() => {
    // No input along the way may have added anything to Object.prototype.
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeNames);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('ends in a task or InvalidTaskError when given arbitrary JSON', () => {
    // Prepare
    const input = fc.oneof(fc.jsonValue(), fc.json().map((text): unknown => JSON.parse(text)));

    // Act & Assess
    fc.assert(
      fc.property(input, (value) => {
        const outcome = outcomeOf(value);
        if ('error' in outcome) expect(outcome.error.text).not.toContain(GENERIC);
      }),
      { numRuns: RUNS },
    );
  });

  it('ends in a task or InvalidTaskError when given any JavaScript value', () => {
    // Prepare
    const input = fc.anything({
      withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true,
      withObjectString: true, withSparseArray: true, withTypedArray: true, withUnicodeString: true,
      key: fc.oneof(fc.constantFrom('__proto__', 'service', 'path', 'body', 'constructor'), fc.string()),
    });

    // Act & Assess
    fc.assert(fc.property(input, (value) => void outcomeOf(value)), { numRuns: RUNS });
  });

  it('returns only tasks whose request target is safe when given task-shaped input', () => {
    // Prepare
    let accepted = 0;

    // Act & Assess
    fc.assert(
      fc.property(taskInput, (input) => {
        const outcome = outcomeOf(input);
        if ('error' in outcome) {
          expect(outcome.error.text).not.toContain(GENERIC);
          return;
        }
        accepted += 1;
        expectSafeTarget(buildRequestTarget(outcome.task));
      }),
      { numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(RUNS / 100);
  });

  it('never accepts a path whose target holds a dot segment, backslash, CR, LF or NUL after decoding', () => {
    // Prepare
    let accepted = 0;

    // Act & Assess
    fc.assert(
      fc.property(pathWithParams, ({ path, pathParams: params }) => {
        const outcome = outcomeOf({ service: 'orders', path, pathParams: params });
        if ('error' in outcome) return;
        accepted += 1;
        expectSafeTarget(buildRequestTarget(outcome.task));
      }),
      { numRuns: RUNS },
    );
    // The generator must reach acceptance often enough for the property to mean something.
    expect(accepted).toBeGreaterThan(RUNS / 20);
  });

  it('round-trips a path parameter when it is accepted, and accepts every plain one', () => {
    // Act & Assess
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), (id) => {
        const outcome = outcomeOf({ service: 'orders', path: '/v1/{id}', pathParams: { id } });
        const plain = !/[%.\\\r\n\0]/.test(id) && !/[\uD800-\uDFFF]/u.test(id) && !/[.\\]/.test(id.normalize('NFKC'));
        if ('error' in outcome) {
          expect(plain).toBe(false);
          return;
        }
        const target = buildRequestTarget(outcome.task);
        expect(target).toBe(`/v1/${encodeURIComponent(id)}`);
        expect(decodeURIComponent(target.slice('/v1/'.length))).toBe(id);
      }),
      { numRuns: RUNS },
    );
  });

  it('encodes a query that URLSearchParams reads back pair by pair', () => {
    // Prepare
    const value = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.integer(), fc.boolean());
    const query = fc.dictionary(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 5 });

    // Act & Assess
    fc.assert(
      fc.property(query, (input) => {
        const task = parseHttpTask({ service: 'orders', path: '/v1', query: input });
        const target = buildRequestTarget(task);
        expect(task.target).toBe(target);
        const expected = Object.entries(input).flatMap(([key, item]) => (Array.isArray(item) ? item : [item]).map((one) => [key, String(one)]));
        const queryAt = target.indexOf('?');
        const actual = queryAt === -1 ? [] : [...new URLSearchParams(target.slice(queryAt + 1))];
        expect(actual).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });
});
