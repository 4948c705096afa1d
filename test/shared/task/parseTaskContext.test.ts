import { describe, expect, it } from 'vitest';
import { parseTaskContext } from '../../../shared/task/parseTaskContext.ts';
import { expectInvalidTask } from './expectInvalidTask.ts';

describe('Function: parseTaskContext', () => {
  it('reads execution id, state name, retry count and map index when given the full context object', () => {
    // Prepare
    const context = {
      Execution: { Id: 'arn:exec', Name: 'run', StartTime: 't', RoleArn: 'arn:role', Input: {}, RedriveCount: 0 },
      State: { Name: 'Confirm', EnteredTime: 't', RetryCount: 1 },
      Map: { Item: { Index: 0, Value: 'v' } },
      StateMachine: { Id: 'arn:sm', Name: 'sm' },
      Task: { Token: 'tok' },
    };

    // Act & Assess
    expect(parseTaskContext(context)).toEqual({ executionId: 'arn:exec', stateName: 'Confirm', retryCount: 1, mapIndex: 0 });
  });

  it('returns an empty context when given an empty object', () => {
    // Act & Assess
    expect(parseTaskContext({})).toEqual({});
  });

  it('ignores extra fields and sections it does not read', () => {
    // Act & Assess
    expect(parseTaskContext({ Execution: { Id: 'e', Extra: [1] }, Unknown: 5, Task: 'x' })).toEqual({ executionId: 'e' });
  });

  it.each([
    ['context itself', null, 'context must be an object'],
    ['context as an array', [], 'context must be an object'],
    ['Execution', { Execution: 'arn' }, 'context.Execution must be an object'],
    ['State', { State: [] }, 'context.State must be an object'],
    ['Map', { Map: 1 }, 'context.Map must be an object'],
    ['Map.Item', { Map: { Item: 'x' } }, 'context.Map.Item must be an object'],
    ['Execution.Id', { Execution: { Id: 1 } }, 'context.Execution.Id must be a string'],
    ['State.Name', { State: { Name: null } }, 'context.State.Name must be a string'],
    ['State.RetryCount negative', { State: { RetryCount: -1 } }, 'context.State.RetryCount must be a non-negative integer'],
    ['State.RetryCount a string', { State: { RetryCount: '1' } }, 'context.State.RetryCount must be a non-negative integer'],
    ['Map.Item.Index a fraction', { Map: { Item: { Index: 1.5 } } }, 'context.Map.Item.Index must be a non-negative integer'],
    ['Execution.Id too long', { Execution: { Id: 'x'.repeat(2049) } }, 'context.Execution.Id is longer than 2048 characters'],
  ])('throws InvalidTaskError when %s has the wrong type', (_label, context, fragment) => {
    // Act & Assess
    expectInvalidTask(() => parseTaskContext(context), fragment);
  });
});
