import type { JsonValue } from './jsonValue.ts';

interface StateEventBase {
  at: number;
  state: string;
  stateType: string;
  /** Map iteration index, for states inside a Map's ItemProcessor. */
  index?: number;
}

/**
 * What happened during a local execution, one event per transition, the same for both engines
 * (aws-local-stepfunctions' event log is converted to it).
 */
export type WorkflowEvent =
  | { type: 'ExecutionStarted'; at: number; input: JsonValue }
  | { type: 'ExecutionSucceeded'; at: number; output: JsonValue }
  | { type: 'ExecutionFailed'; at: number; error: string; cause: string }
  | (StateEventBase & { type: 'StateEntered'; input: JsonValue })
  | (StateEventBase & { type: 'StateExited'; output: JsonValue })
  | (StateEventBase & { type: 'StateFailed'; error: string; cause: string })
  | (StateEventBase & { type: 'StateRetried'; retry: number })
  | (StateEventBase & { type: 'StateCaught'; next: string });
