import type { JsonValue } from './jsonValue.ts';

/** A retrier of a `Retry` field. */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

/** A catcher of a `Catch` field (JSONPath `ResultPath`, JSONata `Output`/`Assign`). */
export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
}

/** One state, loosely typed: the engines read the fields their query language defines. */
export interface StateDefinition {
  Type: 'Task' | 'Map' | 'Pass' | 'Choice' | 'Succeed' | 'Fail' | 'Wait' | 'Parallel';
  Comment?: string;
  QueryLanguage?: 'JSONata' | 'JSONPath';
  Next?: string;
  End?: boolean;
  Resource?: string;
  Arguments?: JsonValue;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Items?: JsonValue;
  ItemSelector?: JsonValue;
  ItemProcessor?: StateMachineDefinition;
  Iterator?: StateMachineDefinition;
  MaxConcurrency?: JsonValue;
  Choices?: Array<{ Condition?: string; Next: string; Output?: JsonValue; Assign?: Record<string, JsonValue> }>;
  Default?: string;
  Error?: string;
  Cause?: string;
  Branches?: StateMachineDefinition[];
  [field: string]: unknown;
}

/** A state machine (or a Map's ItemProcessor) as written in an `.asl.json` file. */
export interface StateMachineDefinition {
  Comment?: string;
  QueryLanguage?: 'JSONata' | 'JSONPath';
  StartAt: string;
  States: Record<string, StateDefinition>;
  TimeoutSeconds?: number;
  [field: string]: unknown;
}
