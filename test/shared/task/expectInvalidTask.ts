import { expect } from 'vitest';
import { InvalidTaskError } from '../../../shared/errors/meshErrors.ts';

/** Runs `act`, asserts it threw a Mesh.InvalidTask whose text contains `fragment`, and returns the error. */
export function expectInvalidTask(act: () => unknown, fragment: string | RegExp): InvalidTaskError {
  let thrown: unknown;
  try {
    act();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidTaskError);
  const error = thrown as InvalidTaskError;
  expect(error.name).toBe('Mesh.InvalidTask');
  if (typeof fragment === 'string') expect(error.text).toContain(fragment);
  else expect(error.text).toMatch(fragment);
  // The thrown message is the contract's one line of JSON.
  expect(JSON.parse(error.message)).toMatchObject({ message: error.text });
  return error;
}
