import { describe, expect, it } from 'vitest';
import { BadResponseError } from '../../../shared/errors/meshErrors.ts';
import { selectJsonPointer } from '../../../shared/result/selectJsonPointer.ts';

// The example document of RFC 6901 section 5.
const RFC_DOCUMENT = {
  foo: ['bar', 'baz'],
  '': 0,
  'a/b': 1,
  'c%d': 2,
  'e^f': 3,
  'g|h': 4,
  'i\\j': 5,
  'k"l': 6,
  ' ': 7,
  'm~n': 8,
};

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('Function: selectJsonPointer', () => {
  it.each([
    ['/foo', ['bar', 'baz']],
    ['/foo/0', 'bar'],
    ['/', 0],
    ['/a~1b', 1],
    ['/c%d', 2],
    ['/e^f', 3],
    ['/g|h', 4],
    ['/i\\j', 5],
    ['/k"l', 6],
    ['/ ', 7],
    ['/m~0n', 8],
  ])('evaluates the RFC 6901 example %s', (pointer, expected) => {
    // Prepare
    const document = structuredClone(RFC_DOCUMENT);

    // Act
    const selected = selectJsonPointer(document, pointer);

    // Assess
    expect(selected).toEqual(expected);
  });

  it('returns the whole document for the empty pointer', () => {
    // Prepare
    const document = structuredClone(RFC_DOCUMENT);

    // Act
    const selected = selectJsonPointer(document, '');

    // Assess
    expect(selected).toBe(document);
  });

  it('decodes ~1 before ~0 so "~01" means the key "~1"', () => {
    // Prepare
    const document = { '~1': 'tilde-one', '/': 'slash' };

    // Act
    const selected = selectJsonPointer(document, '/~01');

    // Assess
    expect(selected).toBe('tilde-one');
  });

  it('walks nested objects and arrays', () => {
    // Prepare
    const document = { data: { orders: [{ id: 'A-1' }, { id: 'A-2', lines: [null] }] } };

    // Act
    const selected = [selectJsonPointer(document, '/data/orders/1/id'), selectJsonPointer(document, '/data/orders/1/lines/0')];

    // Assess
    expect(selected).toEqual(['A-2', null]);
  });

  it.each([
    ['a missing key', { a: 1 }, '/b'],
    ['an index past the end', { a: [1, 2] }, '/a/2'],
    ['the "-" index', { a: [1, 2] }, '/a/-'],
    ['an index with a leading zero', { a: [1, 2] }, '/a/01'],
    ['a negative index', { a: [1, 2] }, '/a/-1'],
    ['a key inside a string', { a: 'text' }, '/a/0'],
    ['a key inside null', { a: null }, '/a/b'],
    ['a key inside a number', 42, '/x'],
    ['an inherited property', {}, '/constructor'],
    ['an inherited __proto__', {}, '/__proto__'],
    ['an array method', { a: [1] }, '/a/length'],
    ['an inherited toString', { a: {} }, '/a/toString'],
  ])('throws Mesh.BadResponse for %s', (_what, document, pointer) => {
    // Prepare
    const expected = { message: `select ${JSON.stringify(pointer)} found nothing in the response` };

    // Act
    const error = catchError(() => selectJsonPointer(document, pointer));

    // Assess
    expect(error).toBeInstanceOf(BadResponseError);
    expect((error as BadResponseError).name).toBe('Mesh.BadResponse');
    expect(JSON.parse((error as BadResponseError).message)).toEqual(expected);
  });

  it('finds an own property named like a prototype member', () => {
    // Prepare
    const document = JSON.parse('{"constructor":{"__proto__":"own"}}') as unknown;

    // Act
    const selected = selectJsonPointer(document, '/constructor/__proto__');

    // Assess
    expect(selected).toBe('own');
  });

  it('quotes at most 100 characters of the pointer in the message', () => {
    // Prepare
    const pointer = `/${'x'.repeat(300)}`;

    // Act
    const error = catchError(() => selectJsonPointer({}, pointer)) as BadResponseError;

    // Assess
    expect(JSON.parse(error.message)).toEqual({ message: `select "${pointer.slice(0, 100)}" found nothing in the response` });
  });
});
