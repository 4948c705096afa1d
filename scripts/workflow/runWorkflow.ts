import { randomUUID } from 'node:crypto';
import { runJsonataWorkflow } from './jsonata/runJsonataWorkflow.ts';
import type { JsonValue } from './jsonValue.ts';
import { runJsonPathWorkflow } from './runJsonPathWorkflow.ts';
import type { StateMachineDefinition } from './stateMachineDefinition.ts';
import { StatesError } from './statesError.ts';
import type { TaskRunner } from './taskRunner.ts';
import type { WorkflowEvent } from './workflowEvent.ts';
import { WorkflowTrace, type TraceEntry } from './workflowTrace.ts';

export interface RunWorkflowOptions {
  definition: StateMachineDefinition;
  input: JsonValue;
  runTask: TaskRunner;
  stateMachineName?: string;
  /** Default: a random UUID, as StartExecution picks. */
  executionName?: string;
  /** Replaces every retrier's computed wait, so runs take seconds; unset = as written. */
  retryDelayMs?: number;
  onEvent?: (event: WorkflowEvent) => void;
  onTrace?: (entry: TraceEntry) => void;
}

export interface WorkflowResult {
  engine: 'aws-local-stepfunctions' | 'local JSONata engine';
  executionArn: string;
  status: 'SUCCEEDED' | 'FAILED';
  output?: JsonValue;
  error?: string;
  cause?: string;
  durationMs: number;
  trace: TraceEntry[];
  events: WorkflowEvent[];
}

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/**
 * Runs a state machine locally, as one execution of it: JSONPath definitions on
 * aws-local-stepfunctions, `"QueryLanguage": "JSONata"` ones on the local JSONata engine, both with
 * the same context object, Task runner, events and trace. Never rejects for a failed execution:
 * the result says FAILED with the Error and Cause Step Functions would report.
 *
 * @example
 * const result = await runWorkflow({ definition, input, runTask: lambdaTaskRunner(invoke), retryDelayMs: 50 });
 * if (result.status === 'FAILED') console.log(result.error, result.cause);
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowResult> {
  const stateMachineName = options.stateMachineName ?? 'order-fulfilment';
  const executionName = options.executionName ?? randomUUID();
  const executionArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${stateMachineName}:${executionName}`;
  const context = {
    Execution: {
      Id: executionArn,
      Name: executionName,
      Input: options.input,
      StartTime: new Date().toISOString(),
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/${stateMachineName}-role`,
      RedriveCount: 0,
    },
    StateMachine: { Id: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${stateMachineName}`, Name: stateMachineName },
  };
  const trace = new WorkflowTrace();
  const events: WorkflowEvent[] = [];
  const onEvent = (event: WorkflowEvent) => {
    events.push(event);
    options.onEvent?.(event);
    const entry = trace.record(event);
    if (entry) options.onTrace?.(entry);
  };
  const jsonata = usesJsonata(options.definition);
  const run = jsonata ? runJsonataWorkflow : runJsonPathWorkflow;
  const startedAt = performance.now();
  const common = {
    engine: jsonata ? ('local JSONata engine' as const) : ('aws-local-stepfunctions' as const),
    executionArn,
    trace: trace.entries,
    events,
  };
  try {
    const output = await run(options.definition, options.input, {
      runTask: options.runTask,
      context,
      onEvent,
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    });
    return { ...common, status: 'SUCCEEDED', output, durationMs: Math.round(performance.now() - startedAt) };
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    return { ...common, status: 'FAILED', error: error.name, cause: error.message, durationMs: Math.round(performance.now() - startedAt) };
  }
}

/** JSONata for the whole machine, or JSONPath for the whole machine: per-state mixing is not run locally. */
function usesJsonata(definition: StateMachineDefinition): boolean {
  const languages = new Set<string>();
  const visit = (machine: StateMachineDefinition, inherited: string) => {
    const language = machine.QueryLanguage ?? inherited;
    for (const state of Object.values(machine.States)) {
      const own = state.QueryLanguage ?? language;
      languages.add(own);
      for (const inner of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) if (inner) visit(inner, own);
    }
  };
  visit(definition, 'JSONPath');
  if (languages.size > 1) throw new Error('Local runs need one QueryLanguage for the whole state machine');
  return languages.has('JSONata');
}
