import { setTimeout as sleep } from 'node:timers/promises';
import type { JsonValue } from '../jsonValue.ts';
import type { StateDefinition, StateMachineDefinition } from '../stateMachineDefinition.ts';
import { StatesError } from '../statesError.ts';
import type { TaskRunner } from '../taskRunner.ts';
import type { WorkflowEvent } from '../workflowEvent.ts';
import { evaluateTemplate } from './evaluateTemplate.ts';
import { matchesError } from './matchesError.ts';
import { planRetry } from './planRetry.ts';

export interface JsonataRunOptions {
  runTask: TaskRunner;
  /** The context object's Execution and StateMachine nodes; State (and Map in ItemSelector) are added per state. */
  context: { Execution: Record<string, JsonValue>; StateMachine: Record<string, JsonValue> };
  /** Replaces every retrier's computed wait (tests and demos); unset = backoff and jitter as written. */
  retryDelayMs?: number;
  onEvent?: (event: WorkflowEvent) => void;
}

type Variables = Map<string, JsonValue>;
interface StatesBinding {
  input: JsonValue;
  context: Record<string, JsonValue>;
  result?: JsonValue;
  errorOutput?: JsonValue;
}
interface Step {
  output: JsonValue;
  next: string | undefined;
}

/**
 * Runs a `"QueryLanguage": "JSONata"` state machine locally, since aws-local-stepfunctions knows
 * only JSONPath. Covers what the example workflows use — Task (Arguments, Output, Assign, Retry,
 * Catch), inline Map (Items, ItemSelector, ItemProcessor, MaxConcurrency), Choice (Condition),
 * Pass, Succeed, Fail — with Step Functions' rules: `$states.input/.context/.result/.errorOutput`,
 * variables assigned after a state and scoped to Map iterations, `Map.Item` in the context only
 * inside ItemSelector, Retry/Catch as in planRetry and matchesError. Wait and Parallel are refused
 * (`States.Runtime`) rather than half-done. Resolves to the execution's output, rejects with the
 * StatesError that ended it.
 *
 * @example
 * const output = await runJsonataWorkflow(definition, { orderId: 'A-17', items }, { runTask, context });
 */
export async function runJsonataWorkflow(
  definition: StateMachineDefinition,
  input: JsonValue,
  options: JsonataRunOptions,
): Promise<JsonValue> {
  const emit = (event: WorkflowEvent) => options.onEvent?.(event);
  emit({ type: 'ExecutionStarted', at: Date.now(), input });
  try {
    const output = await new JsonataExecution(options, emit).runMachine(definition, input, new Map());
    emit({ type: 'ExecutionSucceeded', at: Date.now(), output });
    return output;
  } catch (thrown) {
    const error = asStatesError(thrown);
    emit({ type: 'ExecutionFailed', at: Date.now(), error: error.name, cause: error.message });
    throw error;
  }
}

class JsonataExecution {
  readonly #options: JsonataRunOptions;
  readonly #emit: (event: WorkflowEvent) => void;

  constructor(options: JsonataRunOptions, emit: (event: WorkflowEvent) => void) {
    this.#options = options;
    this.#emit = emit;
  }

  async runMachine(machine: StateMachineDefinition, input: JsonValue, variables: Variables, index?: number): Promise<JsonValue> {
    let name = machine.StartAt;
    let data = input;
    for (;;) {
      const state = machine.States[name];
      if (!state) throw new StatesError('States.Runtime', `There is no state named ${name}`);
      const step = await this.#runState(name, state, data, variables, index);
      if (step.next === undefined) return step.output;
      name = step.next;
      data = step.output;
    }
  }

  async #runState(name: string, state: StateDefinition, input: JsonValue, variables: Variables, index?: number): Promise<Step> {
    const where = { state: name, stateType: state.Type, ...(index === undefined ? {} : { index }) };
    this.#emit({ type: 'StateEntered', at: Date.now(), ...where, input });
    const enteredTime = new Date().toISOString();
    const retriesPerRetrier: number[] = [];
    for (let retryCount = 0; ; ) {
      const states: StatesBinding = {
        input,
        context: { ...this.#options.context, State: { Name: name, EnteredTime: enteredTime, RetryCount: retryCount } },
      };
      try {
        const step = await this.#execute(name, state, states, variables, index);
        this.#emit({ type: 'StateExited', at: Date.now(), ...where, output: step.output });
        return step;
      } catch (thrown) {
        const error = asStatesError(thrown);
        this.#emit({ type: 'StateFailed', at: Date.now(), ...where, error: error.name, cause: error.message });
        const retry = planRetry(state.Retry, retriesPerRetrier, error.name, state.Type);
        if (retry) {
          await sleep(this.#options.retryDelayMs ?? retry.delayMs);
          retryCount += 1;
          this.#emit({ type: 'StateRetried', at: Date.now(), ...where, retry: retryCount });
          continue;
        }
        const catcher = state.Catch?.find((candidate) => matchesError(candidate.ErrorEquals, error.name, state.Type));
        if (!catcher) throw error;
        const errorOutput = { Error: error.name, Cause: error.message };
        const output = await this.#finish(`${name}.Catch`, { ...states, errorOutput }, variables, catcher.Output, catcher.Assign, errorOutput);
        this.#emit({ type: 'StateCaught', at: Date.now(), ...where, next: catcher.Next });
        return { output, next: catcher.Next };
      }
    }
  }

  async #execute(name: string, state: StateDefinition, states: StatesBinding, variables: Variables, index?: number): Promise<Step> {
    const next = state.End ? undefined : state.Next;
    switch (state.Type) {
      case 'Pass':
        return { output: await this.#finish(name, states, variables, state.Output, state.Assign, states.input), next };
      case 'Task': {
        if (!state.Resource) throw new StatesError('States.Runtime', `Task ${name} has no Resource`);
        const parameters =
          state.Arguments === undefined ? states.input : await evaluateTemplate(state.Arguments, this.#bindings(states, variables), `${name}.Arguments`);
        const result = await this.#options.runTask({ stateName: name, resource: state.Resource, parameters, ...(index === undefined ? {} : { index }) });
        return { output: await this.#finish(name, { ...states, result }, variables, state.Output, state.Assign, result), next };
      }
      case 'Map': {
        const result = await this.#runMap(name, state, states, variables);
        return { output: await this.#finish(name, { ...states, result }, variables, state.Output, state.Assign, result), next };
      }
      case 'Choice':
        return this.#choose(name, state, states, variables);
      case 'Succeed':
        return { output: await this.#finish(name, states, variables, state.Output, undefined, states.input), next: undefined };
      case 'Fail': {
        const bindings = this.#bindings(states, variables);
        const error = state.Error === undefined ? 'States.Fail' : await evaluateTemplate(state.Error, bindings, `${name}.Error`);
        const cause = state.Cause === undefined ? '' : await evaluateTemplate(state.Cause, bindings, `${name}.Cause`);
        throw new StatesError(String(error), typeof cause === 'string' ? cause : JSON.stringify(cause));
      }
      default:
        throw new StatesError('States.Runtime', `The local JSONata engine does not run ${state.Type} states (${name})`);
    }
  }

  async #runMap(name: string, state: StateDefinition, states: StatesBinding, variables: Variables): Promise<JsonValue[]> {
    const bindings = this.#bindings(states, variables);
    const items = state.Items === undefined ? states.input : await evaluateTemplate(state.Items, bindings, `${name}.Items`);
    if (!Array.isArray(items)) throw new StatesError('States.QueryEvaluationError', `The Items of Map state ${name} are not an array`);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (!processor) throw new StatesError('States.Runtime', `Map ${name} has no ItemProcessor`);
    const limit = state.MaxConcurrency === undefined ? 0 : await evaluateTemplate(state.MaxConcurrency, bindings, `${name}.MaxConcurrency`);
    const workers = Math.max(1, Math.min(typeof limit === 'number' && limit > 0 ? limit : items.length, items.length));

    const results: JsonValue[] = new Array<JsonValue>(items.length);
    let nextItem = 0;
    let failure: StatesError | undefined;
    const work = async () => {
      while (failure === undefined && nextItem < items.length) {
        const index = nextItem++;
        try {
          // Map.Item exists in the context of ItemSelector only, as in Step Functions.
          const itemStates = { ...states, context: { ...states.context, Map: { Item: { Index: index, Value: items[index]! } } } };
          const itemInput =
            state.ItemSelector === undefined
              ? items[index]!
              : await evaluateTemplate(state.ItemSelector, this.#bindings(itemStates, variables), `${name}.ItemSelector`);
          // An iteration reads the outer variables; what it assigns stays in the iteration.
          results[index] = await this.runMachine(processor, itemInput, new Map(variables), index);
        } catch (thrown) {
          failure ??= asStatesError(thrown);
        }
      }
    };
    await Promise.all(Array.from({ length: items.length ? workers : 0 }, work));
    if (failure) throw failure;
    return results;
  }

  async #choose(name: string, state: StateDefinition, states: StatesBinding, variables: Variables): Promise<Step> {
    const bindings = this.#bindings(states, variables);
    for (const [index, rule] of (state.Choices ?? []).entries()) {
      const holds = await evaluateTemplate(rule.Condition ?? '', bindings, `${name}.Choices[${index}].Condition`);
      if (typeof holds !== 'boolean') {
        throw new StatesError('States.QueryEvaluationError', `The Condition of ${name}.Choices[${index}] is not a boolean`);
      }
      if (holds) return { output: await this.#finish(name, states, variables, rule.Output, rule.Assign, states.input), next: rule.Next };
    }
    if (state.Default === undefined) throw new StatesError('States.NoChoiceMatched', `No choice rule of ${name} matched`);
    return { output: await this.#finish(name, states, variables, state.Output, state.Assign, states.input), next: state.Default };
  }

  /** Output and Assign are both evaluated against the variables as they were; then the assignments apply. */
  async #finish(
    field: string,
    states: StatesBinding,
    variables: Variables,
    output: JsonValue | undefined,
    assign: Record<string, JsonValue> | undefined,
    fallback: JsonValue,
  ): Promise<JsonValue> {
    const bindings = this.#bindings(states, variables);
    const value = output === undefined ? fallback : await evaluateTemplate(output, bindings, `${field}.Output`);
    const assigned: Array<[string, JsonValue]> = [];
    for (const [variable, template] of Object.entries(assign ?? {})) {
      assigned.push([variable, await evaluateTemplate(template, bindings, `${field}.Assign.${variable}`)]);
    }
    for (const [variable, assignedValue] of assigned) variables.set(variable, assignedValue);
    return value;
  }

  #bindings(states: StatesBinding, variables: Variables): Record<string, unknown> {
    return { ...Object.fromEntries(variables), states };
  }
}

function asStatesError(thrown: unknown): StatesError {
  if (thrown instanceof StatesError) return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new StatesError('States.Runtime', message);
}
