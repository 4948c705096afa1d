import { describe, expect, it } from 'vitest';
import { runJsonataWorkflow } from '../../../scripts/workflow/jsonata/runJsonataWorkflow.ts';
import { planRetry } from '../../../scripts/workflow/jsonata/planRetry.ts';
import type { JsonValue } from '../../../scripts/workflow/jsonValue.ts';
import { runWorkflow } from '../../../scripts/workflow/runWorkflow.ts';
import type { StateMachineDefinition } from '../../../scripts/workflow/stateMachineDefinition.ts';
import { StatesError } from '../../../scripts/workflow/statesError.ts';
import type { TaskRequest } from '../../../scripts/workflow/taskRunner.ts';
import type { WorkflowEvent } from '../../../scripts/workflow/workflowEvent.ts';

// The engine's own semantics, with a scripted task runner in place of Lambda (the e2e suites run the real invoker).
const context = { Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:test:run-1' }, StateMachine: { Name: 'test' } };
const RESOURCE = 'arn:aws:states:::lambda:invoke';

function scriptedTasks(script: (request: TaskRequest, call: number) => JsonValue | Promise<JsonValue>) {
  const requests: TaskRequest[] = [];
  const runTask = async (request: TaskRequest) => {
    requests.push(request);
    return script(request, requests.length);
  };
  return { requests, runTask };
}

async function run(definition: StateMachineDefinition, input: JsonValue, runTask: (r: TaskRequest) => Promise<JsonValue>) {
  const events: WorkflowEvent[] = [];
  try {
    const output = await runJsonataWorkflow(definition, input, { runTask, context, retryDelayMs: 0, onEvent: (e) => events.push(e) });
    return { output, events };
  } catch (error) {
    if (error instanceof StatesError) return { error: error.name, cause: error.message, events };
    throw error;
  }
}

const machine = (States: StateMachineDefinition['States'], StartAt = Object.keys(States)[0]!): StateMachineDefinition => ({
  QueryLanguage: 'JSONata',
  StartAt,
  States,
});

describe('Function: runJsonataWorkflow', () => {
  it('evaluates Arguments, hands Output on and assigns variables after the state (Output sees the old values)', async () => {
    // Prepare
    const { requests, runTask } = scriptedTasks((request) => ({ echoed: request.parameters }));
    const definition = machine({
      Start: { Type: 'Pass', Assign: { n: 1 }, Next: 'Call' },
      Call: {
        Type: 'Task',
        Resource: RESOURCE,
        Arguments: { id: '{% $states.input.id %}', n: '{% $n %}', state: '{% $states.context.State.Name %}', literal: 'x {% not an expression' },
        Assign: { n: '{% $n + 1 %}', got: '{% $states.result.echoed.id %}' },
        Output: { before: '{% $n %}', result: '{% $states.result %}' },
        Next: 'End',
      },
      End: { Type: 'Pass', Output: { n: '{% $n %}', got: '{% $got %}', prior: '{% $states.input.before %}' }, End: true },
    });

    // Act
    const { output } = await run(definition, { id: 'A-17' }, runTask);

    // Assess
    expect(requests[0]).toMatchObject({ stateName: 'Call', resource: RESOURCE, parameters: { id: 'A-17', n: 1, state: 'Call', literal: 'x {% not an expression' } });
    expect(output).toEqual({ n: 2, got: 'A-17', prior: 1 });
  });

  it('retries by the first matching retrier up to MaxAttempts, counting RetryCount, and does not fall through when exhausted', async () => {
    // Prepare: always Mesh.Unavailable; the second retrier would match too but must not be used.
    const { requests, runTask } = scriptedTasks(() => {
      throw new StatesError('Mesh.Unavailable', '{}');
    });
    const definition = machine({
      Call: {
        Type: 'Task',
        Resource: RESOURCE,
        Arguments: { retry: '{% $states.context.State.RetryCount %}' },
        Retry: [
          { ErrorEquals: ['Mesh.Unavailable'], MaxAttempts: 2 },
          { ErrorEquals: ['States.ALL'], MaxAttempts: 5 },
        ],
        End: true,
      },
    });

    // Act
    const result = await run(definition, {}, runTask);

    // Assess
    expect(result.error).toBe('Mesh.Unavailable');
    expect(requests.map((request) => request.parameters)).toEqual([{ retry: 0 }, { retry: 1 }, { retry: 2 }]);
    expect(result.events.filter((event) => event.type === 'StateRetried')).toHaveLength(2);
  });

  it('catches by ErrorEquals with $states.errorOutput, Output and Assign; States.ALL does not catch States.DataLimitExceeded', async () => {
    // Prepare
    const failWith = (name: string) => scriptedTasks(() => {
      throw new StatesError(name, '{"errorMessage":"{\\"status\\":409}"}');
    });
    const definition = machine({
      Call: {
        Type: 'Task',
        Resource: RESOURCE,
        Catch: [
          { ErrorEquals: ['Mesh.ClientError'], Next: 'Refused', Assign: { why: '{% $parse($parse($states.errorOutput.Cause).errorMessage) %}' } },
          { ErrorEquals: ['States.ALL'], Next: 'Other' },
        ],
        End: true,
      },
      Refused: { Type: 'Pass', Output: { error: '{% $states.input.Error %}', why: '{% $why %}' }, End: true },
      Other: { Type: 'Pass', Output: '{% $states.input %}', End: true },
    });

    // Act
    const refused = await run(definition, {}, failWith('Mesh.ClientError').runTask);
    const other = await run(definition, {}, failWith('Mesh.Timeout').runTask);
    const terminal = await run(definition, {}, failWith('States.DataLimitExceeded').runTask);

    // Assess
    expect(refused.output).toEqual({ error: 'Mesh.ClientError', why: { status: 409 } });
    expect(other.output).toEqual({ Error: 'Mesh.Timeout', Cause: '{"errorMessage":"{\\"status\\":409}"}' });
    expect(terminal.error).toBe('States.DataLimitExceeded');
  });

  it('gives Map.Item to ItemSelector only, keeps item order, bounds concurrency and scopes variables to the iteration', async () => {
    // Prepare
    let running = 0;
    let peak = 0;
    const { runTask } = scriptedTasks(async (request) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return request.parameters;
    });
    const definition = machine({
      Items: {
        Type: 'Map',
        Items: '{% $states.input.items %}',
        ItemSelector: { index: '{% $states.context.Map.Item.Index %}', value: '{% $states.context.Map.Item.Value %}' },
        MaxConcurrency: 3,
        ItemProcessor: {
          StartAt: 'Work',
          States: {
            Work: {
              Type: 'Task',
              Resource: RESOURCE,
              Arguments: { index: '{% $states.input.index %}', hasMap: '{% $exists($states.context.Map) %}', outer: '{% $outer %}' },
              Assign: { outer: 'changed inside' },
              End: true,
            },
          },
        },
        Next: 'After',
      },
      After: { Type: 'Pass', Output: { results: '{% $states.input %}', outer: '{% $outer %}' }, End: true },
    }, 'Start');
    definition.States.Start = { Type: 'Pass', Assign: { outer: 'set outside' }, Next: 'Items' };

    // Act
    const { output } = await run(definition, { items: Array.from({ length: 10 }, (_, i) => `v${i}`) }, runTask);

    // Assess
    expect(output).toEqual({
      results: Array.from({ length: 10 }, (_, index) => ({ index, hasMap: false, outer: 'set outside' })),
      outer: 'set outside',
    });
    expect(peak).toBe(3);
  });

  it('fails a Map with its iteration\'s error, which the Map\'s own Catch can take', async () => {
    const { runTask } = scriptedTasks((request) => {
      if ((request.parameters as { n: number }).n === 2) throw new StatesError('Mesh.ClientError', 'refused');
      return 'ok';
    });
    const definition = machine({
      Items: {
        Type: 'Map',
        ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: RESOURCE, Arguments: { n: '{% $states.input %}' }, End: true } } },
        Catch: [{ ErrorEquals: ['Mesh.ClientError'], Next: 'Caught' }],
        End: true,
      },
      Caught: { Type: 'Pass', End: true },
    });

    const { output } = await run(definition, [1, 2, 3], runTask);

    expect(output).toEqual({ Error: 'Mesh.ClientError', Cause: 'refused' });
  });

  it('chooses by Condition, falls back to Default, and fails with States.NoChoiceMatched without one', async () => {
    const choice = (Default?: string): StateMachineDefinition =>
      machine({
        Pick: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n > 1 %}', Next: 'Big', Output: { big: true } }], ...(Default ? { Default } : {}) },
        Big: { Type: 'Succeed' },
        Small: { Type: 'Succeed', Output: { small: true } },
      });
    const { runTask } = scriptedTasks(() => null);

    expect((await run(choice('Small'), { n: 2 }, runTask)).output).toEqual({ big: true });
    expect((await run(choice('Small'), { n: 1 }, runTask)).output).toEqual({ small: true });
    expect((await run(choice(), { n: 1 }, runTask)).error).toBe('States.NoChoiceMatched');
  });

  it('fails with States.QueryEvaluationError when an expression yields nothing or a Condition is not boolean', async () => {
    const { runTask } = scriptedTasks(() => null);

    const missing = await run(machine({ P: { Type: 'Pass', Output: { x: '{% $states.input.missing %}' }, End: true } }), {}, runTask);
    const notBoolean = await run(machine({ C: { Type: 'Choice', Choices: [{ Condition: '{% 1 %}', Next: 'C' }] } }), {}, runTask);

    expect(missing.error).toBe('States.QueryEvaluationError');
    expect(missing.cause).toContain('P.Output.x');
    expect(notBoolean.error).toBe('States.QueryEvaluationError');
  });

  it('ends with a Fail state\'s evaluated Error and Cause', async () => {
    const { runTask } = scriptedTasks(() => null);
    const definition = machine({ F: { Type: 'Fail', Error: '{% $states.input.error %}', Cause: '{% $string($states.input) %}' } });

    const result = await run(definition, { error: 'Order.Failed' }, runTask);

    expect(result).toMatchObject({ error: 'Order.Failed', cause: '{"error":"Order.Failed"}' });
  });
});

describe('Function: planRetry', () => {
  it('waits IntervalSeconds × BackoffRate^n, capped by MaxDelaySeconds, and up to that with full jitter', () => {
    const counters: number[] = [];
    const retrier = { ErrorEquals: ['Mesh.Timeout'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 5, MaxDelaySeconds: 5, JitterStrategy: 'NONE' as const };
    const delays = Array.from({ length: 5 }, () => planRetry([retrier], counters, 'Mesh.Timeout', 'Task')?.delayMs);
    expect(delays).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(planRetry([retrier], counters, 'Mesh.Timeout', 'Task')).toBeUndefined();

    const jittered = Array.from({ length: 50 }, () => planRetry([{ ...retrier, JitterStrategy: 'FULL', MaxAttempts: 100 }], [3], 'Mesh.Timeout', 'Task')!.delayMs);
    expect(Math.max(...jittered)).toBeLessThanOrEqual(5000);
    expect(new Set(jittered).size).toBeGreaterThan(1);
  });
});

describe('Function: runWorkflow (both engines agree)', () => {
  // The same small machine in both query languages: Retry counts and Catch must come out the same.
  const retrier = { ErrorEquals: ['Mesh.Unavailable'], IntervalSeconds: 1, MaxAttempts: 2 };
  const catcher = { ErrorEquals: ['Mesh.ClientError'], Next: 'Refused' };
  const jsonPath: StateMachineDefinition = {
    StartAt: 'Call',
    States: {
      Call: { Type: 'Task', Resource: RESOURCE, Parameters: { 'n.$': '$.n' }, Retry: [retrier], Catch: [{ ...catcher, ResultPath: '$.error' }], End: true },
      Refused: { Type: 'Pass', Parameters: { 'error.$': '$.error.Error' }, End: true },
    },
  };
  const jsonata: StateMachineDefinition = {
    QueryLanguage: 'JSONata',
    StartAt: 'Call',
    States: {
      Call: { Type: 'Task', Resource: RESOURCE, Arguments: { n: '{% $states.input.n %}' }, Retry: [retrier], Catch: [{ ...catcher, Output: { error: '{% $states.errorOutput.Error %}' } }], End: true },
      Refused: { Type: 'Pass', End: true },
    },
  };

  it.each([
    ['Mesh.Unavailable twice, then success', ['Mesh.Unavailable', 'Mesh.Unavailable'], { status: 'SUCCEEDED', calls: 3 }],
    ['Mesh.Unavailable past MaxAttempts', ['Mesh.Unavailable', 'Mesh.Unavailable', 'Mesh.Unavailable'], { status: 'FAILED', error: 'Mesh.Unavailable', calls: 3 }],
    ['Mesh.ClientError, caught', ['Mesh.ClientError'], { status: 'SUCCEEDED', output: { error: 'Mesh.ClientError' }, calls: 1 }],
  ])('%s', async (_, errors, expected) => {
    for (const definition of [jsonPath, jsonata]) {
      const { requests, runTask } = scriptedTasks((_request, call) => {
        const name = errors[call - 1];
        if (name) throw new StatesError(name, '{}');
        return { done: true };
      });
      const result = await runWorkflow({ definition, input: { n: 1 }, runTask, retryDelayMs: 0 });
      expect({ status: result.status, error: result.error, calls: requests.length, output: result.output }, result.engine).toMatchObject(expected);
    }
  });
});
