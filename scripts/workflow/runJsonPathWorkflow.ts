import { ExecutionError, StateMachine, type StateMachineDefinition as LocalDefinition } from 'aws-local-stepfunctions';
import type { JsonValue } from './jsonValue.ts';
import type { StateDefinition, StateMachineDefinition } from './stateMachineDefinition.ts';
import { StatesError } from './statesError.ts';
import type { TaskRunner } from './taskRunner.ts';
import type { WorkflowEvent } from './workflowEvent.ts';

export interface JsonPathRunOptions {
  runTask: TaskRunner;
  /** The context object's Execution and StateMachine nodes. */
  context: { Execution: Record<string, JsonValue>; StateMachine: Record<string, JsonValue> };
  /** Replaces every retrier's computed wait (tests and demos); unset = backoff and jitter as written. */
  retryDelayMs?: number;
  onEvent?: (event: WorkflowEvent) => void;
}

type LocalEvent = Awaited<ReturnType<ReturnType<StateMachine['run']>['eventLogs']['next']>>['value'];

/**
 * Runs a JSONPath state machine with aws-local-stepfunctions, every Task state overridden to call
 * `runTask`. That engine's context object has no `State` node, so `$$.State` resolves to a
 * placeholder and, where a Task hands the context on (`"context.$": "$$"`, or a `State` taken from
 * `$$.State`), this runner fills in what Step Functions would have put there: the state's Name,
 * EnteredTime and RetryCount. Resolves to the output, rejects with the StatesError that ended it.
 *
 * @example
 * const output = await runJsonPathWorkflow(definition, input, { runTask, context, retryDelayMs: 10 });
 */
export async function runJsonPathWorkflow(
  definition: StateMachineDefinition,
  input: JsonValue,
  options: JsonPathRunOptions,
): Promise<JsonValue> {
  const tasks = new Map<string, StateDefinition>();
  const retried: string[] = [];
  collectStates(definition, new Set(), tasks, retried);
  const stateContexts = new StateContexts();
  const taskResourceLocalHandlers = Object.fromEntries(
    [...tasks].map(([name, state]) => [
      name,
      (parameters: JsonValue) =>
        options.runTask({ stateName: name, resource: state.Resource!, parameters: stateContexts.complete(name, state.Resource!, parameters) }),
    ]),
  );
  const retryIntervalOverrides =
    options.retryDelayMs === undefined ? undefined : Object.fromEntries(retried.map((name) => [name, options.retryDelayMs!]));

  const machine = new StateMachine(definition as unknown as LocalDefinition);
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers, ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}) },
    context: { ...options.context, State: { Name: '', EnteredTime: '', RetryCount: 0 } },
  });
  const forwarding = (async () => {
    // The engine reports a caught state as exited too; a WorkflowEvent StateExited means it succeeded.
    const caught = new Set<string>();
    for await (const event of execution.eventLogs) {
      const converted = convert(event);
      if (!converted) continue;
      if (converted.type === 'StateCaught') caught.add(`${converted.state}#${converted.index}`);
      if (converted.type === 'StateExited' && caught.delete(`${converted.state}#${converted.index}`)) continue;
      options.onEvent?.(converted);
    }
  })();
  try {
    return (await execution.result) as JsonValue;
  } catch (error) {
    const cause = error instanceof ExecutionError ? error.cause : error;
    if (cause instanceof Error) throw new StatesError(cause.name, cause.message);
    throw new StatesError('States.Runtime', String(cause));
  } finally {
    await forwarding;
  }
}

/** Task states by name (names must be unique: the engine's overrides are keyed by name) and the states with a Retry. */
function collectStates(machine: StateMachineDefinition, seen: Set<string>, tasks: Map<string, StateDefinition>, retried: string[]): void {
  for (const [name, state] of Object.entries(machine.States)) {
    if (seen.has(name)) throw new Error(`State name ${name} is used twice; local overrides are keyed by name`);
    seen.add(name);
    if (state.Type === 'Task') tasks.set(name, state);
    if (state.Retry) retried.push(name);
    for (const inner of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) if (inner) collectStates(inner, seen, tasks, retried);
  }
}

/** Per state (and Map index), when it was first entered and how often it has been retried. */
class StateContexts {
  readonly #seen = new Map<string, { enteredTime: string; calls: number }>();

  complete(stateName: string, resource: string, parameters: JsonValue): JsonValue {
    const target = resource.startsWith('arn:aws:states:::lambda:invoke') ? field(parameters, 'Payload') : parameters;
    const context = field(target, 'context');
    const state = field(context, 'State');
    if (!isObject(state) || !isObject(context)) return parameters;
    const index = field(field(field(context, 'Map'), 'Item'), 'Index');
    const key = `${stateName}#${typeof index === 'number' ? index : ''}`;
    const seen = this.#seen.get(key) ?? { enteredTime: new Date().toISOString(), calls: 0 };
    seen.calls += 1;
    this.#seen.set(key, seen);
    context.State = { ...state, Name: stateName, EnteredTime: seen.enteredTime, RetryCount: seen.calls - 1 };
    return parameters;
  }
}

function field(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return isObject(value) ? value[key] : undefined;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function convert(event: LocalEvent): WorkflowEvent | undefined {
  if (!event) return undefined;
  const at = event.timestamp;
  switch (event.type) {
    case 'ExecutionStarted':
      return { type: 'ExecutionStarted', at, input: event.input };
    case 'ExecutionSucceeded':
      return { type: 'ExecutionSucceeded', at, output: event.output };
    case 'ExecutionFailed':
      return { type: 'ExecutionFailed', at, error: event.Error, cause: String(event.Cause ?? '') };
    case 'StateEntered':
    case 'StateExited':
    case 'StateFailed':
    case 'StateRetried':
    case 'StateCaught': {
      const where = { at, state: event.state.name, stateType: event.state.type, ...(event.index === undefined ? {} : { index: event.index }) };
      if (event.type === 'StateEntered') return { type: 'StateEntered', ...where, input: event.state.input };
      if (event.type === 'StateExited') return { type: 'StateExited', ...where, output: event.state.output ?? null };
      if (event.type === 'StateFailed') return { type: 'StateFailed', ...where, error: event.Error, cause: String(event.Cause ?? '') };
      if (event.type === 'StateRetried') return { type: 'StateRetried', ...where, retry: event.retry.attempt };
      return { type: 'StateCaught', ...where, next: event.catch.catcher.Next };
    }
    default:
      return undefined;
  }
}
