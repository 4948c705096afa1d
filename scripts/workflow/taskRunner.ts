import type { JsonValue } from './jsonValue.ts';

/** What a Task state asks its resource to do: the state, its Resource, and its resolved Parameters/Arguments. */
export interface TaskRequest {
  stateName: string;
  resource: string;
  parameters: JsonValue;
  /** Map iteration index, when the Task runs inside a Map. */
  index?: number;
}

/** Runs a Task's resource; resolves to the task result, rejects with a StatesError. */
export type TaskRunner = (request: TaskRequest) => Promise<JsonValue>;
