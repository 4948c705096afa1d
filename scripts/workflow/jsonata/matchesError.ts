/** Errors no Retry or Catch can handle, not even `States.ALL` (they end the execution). */
const TERMINAL = new Set(['States.DataLimitExceeded', 'States.Runtime']);

/**
 * Whether a retrier's or catcher's `ErrorEquals` matches an error, by the ASL rules: the exact
 * name, `States.ALL` for any name, `States.TaskFailed` for any failure of a Task except a timeout.
 *
 * @example
 * matchesError(['Mesh.Unavailable', 'Mesh.Timeout'], 'Mesh.Timeout', 'Task') // true
 */
export function matchesError(errorEquals: string[], error: string, stateType: string): boolean {
  if (TERMINAL.has(error)) return false;
  return errorEquals.some(
    (name) =>
      name === error ||
      name === 'States.ALL' ||
      (name === 'States.TaskFailed' && stateType === 'Task' && error !== 'States.Timeout'),
  );
}
