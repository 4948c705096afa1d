import { describe, expect, it } from 'vitest';
import { defaultIdempotencyKey } from '../../../shared/invoke/defaultIdempotencyKey.ts';

const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:orders:6f1c';
const HASHED = /^mg1-[A-Za-z0-9_-]{32}$/;
const RANDOM = /^mg1-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Function: defaultIdempotencyKey', () => {
  it('is the same for the same execution, state and map index', () => {
    // Prepare
    const context = { executionId: EXECUTION, stateName: 'Charge', mapIndex: 3 };

    // Act
    const keys = [defaultIdempotencyKey(context), defaultIdempotencyKey({ ...context })];

    // Assess
    expect(keys[0]).toMatch(HASHED);
    expect(keys[1]).toBe(keys[0]);
  });

  it('stays the same across ASL retries of the state', () => {
    // Prepare
    const first = { executionId: EXECUTION, stateName: 'Charge', retryCount: 0 };
    const retry = { executionId: EXECUTION, stateName: 'Charge', retryCount: 2 };

    // Act
    const keys = [defaultIdempotencyKey(first), defaultIdempotencyKey(retry)];

    // Assess
    expect(keys[1]).toBe(keys[0]);
  });

  it('differs between map iterations, states and executions', () => {
    // Prepare
    const base = { executionId: EXECUTION, stateName: 'Charge' };
    const contexts = [
      base,
      { ...base, mapIndex: 0 },
      { ...base, mapIndex: 1 },
      { ...base, stateName: 'Refund' },
      { ...base, executionId: `${EXECUTION}-2` },
    ];

    // Act
    const keys = contexts.map(defaultIdempotencyKey);

    // Assess
    expect(new Set(keys).size).toBe(contexts.length);
  });

  it('cannot be confused by separators inside the names', () => {
    // Prepare
    const a = { executionId: 'exec', stateName: 'a,b' };
    const b = { executionId: 'exec,a', stateName: 'b' };

    // Act
    const keys = [defaultIdempotencyKey(a), defaultIdempotencyKey(b)];

    // Assess
    expect(keys[0]).not.toBe(keys[1]);
  });

  it.each([
    ['no context', undefined],
    ['an empty context', {}],
    ['no state name', { executionId: EXECUTION }],
    ['no execution id', { stateName: 'Charge' }],
  ])('is random with %s', (_what, context) => {
    // Prepare
    const input = context;

    // Act
    const keys = [defaultIdempotencyKey(input), defaultIdempotencyKey(input)];

    // Assess
    expect(keys[0]).toMatch(RANDOM);
    expect(keys[1]).toMatch(RANDOM);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('fits the contract: 1-255 printable ASCII characters', () => {
    // Prepare
    const context = { executionId: 'x'.repeat(2000), stateName: 'S'.repeat(80), mapIndex: 40_000 };

    // Act
    const key = defaultIdempotencyKey(context);

    // Assess
    expect(key).toMatch(/^[\x21-\x7e]{1,255}$/);
  });
});
