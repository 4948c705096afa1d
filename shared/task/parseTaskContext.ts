import { InvalidTaskError, MeshError } from '../errors/meshErrors.ts';
import type { TaskContext } from './httpTask.ts';
import { isPlainObject } from './isPlainObject.ts';
import { ownField } from './ownField.ts';
import { TaskLimits } from './taskLimits.ts';

/**
 * Reads the Step Functions context object (`"context.$": "$$"` in JSONPath, `$states.context` in
 * JSONata): `Execution.Id`, `State.Name`, `State.RetryCount` and `Map.Item.Index`. Everything else
 * in it (StateMachine, Task, Execution.Input...) is ignored, since the service may add fields; what
 * is read is type-checked, because it feeds the default idempotency key.
 * @example
 * parseTaskContext({ Execution: { Id: 'arn:...:exec' }, State: { Name: 'Confirm', RetryCount: 1 } })
 * // { executionId: 'arn:...:exec', stateName: 'Confirm', retryCount: 1 }
 * @throws InvalidTaskError
 */
export function parseTaskContext(value: unknown): TaskContext {
  try {
    if (!isPlainObject(value)) throw new InvalidTaskError('context must be an object (the Step Functions context object, $$)');
    const execution = section(value, 'Execution');
    const state = section(value, 'State');
    const item = section(section(value, 'Map'), 'Item', 'context.Map');
    const context: TaskContext = {};
    const executionId = text(execution, 'Id', 'context.Execution.Id');
    const stateName = text(state, 'Name', 'context.State.Name');
    const retryCount = count(state, 'RetryCount', 'context.State.RetryCount');
    const mapIndex = count(item, 'Index', 'context.Map.Item.Index');
    if (executionId !== undefined) context.executionId = executionId;
    if (stateName !== undefined) context.stateName = stateName;
    if (retryCount !== undefined) context.retryCount = retryCount;
    if (mapIndex !== undefined) context.mapIndex = mapIndex;
    return context;
  } catch (error) {
    if (error instanceof MeshError) throw error;
    throw new InvalidTaskError('context could not be read', { cause: error });
  }
}

function section(parent: Record<string, unknown> | undefined, key: string, parentField = 'context') {
  const value = parent === undefined ? undefined : ownField(parent, key);
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw new InvalidTaskError(`${parentField}.${key} must be an object`);
  return value;
}

function text(parent: Record<string, unknown> | undefined, key: string, field: string): string | undefined {
  const value = parent === undefined ? undefined : ownField(parent, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InvalidTaskError(`${field} must be a string`);
  if (value.length > TaskLimits.maxContextStringLength) {
    throw new InvalidTaskError(`${field} is longer than ${TaskLimits.maxContextStringLength} characters`);
  }
  return value;
}

function count(parent: Record<string, unknown> | undefined, key: string, field: string): number | undefined {
  const value = parent === undefined ? undefined : ownField(parent, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidTaskError(`${field} must be a non-negative integer`);
  }
  return value;
}
