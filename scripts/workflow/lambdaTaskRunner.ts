import type { JsonValue } from './jsonValue.ts';
import type { LambdaInvoke } from './lambdaInvokeAdapter.ts';
import { StatesError } from './statesError.ts';
import type { TaskRunner } from './taskRunner.ts';

/**
 * The Task resources local runs understand, both backed by the lambda:invoke emulation:
 * `arn:aws:states:::lambda:invoke` (the result is `{ Payload, StatusCode, ... }`) and a function
 * ARN as Resource (the result is the function's output itself). Anything else is refused.
 *
 * @example
 * const runTask = lambdaTaskRunner(lambdaInvokeAdapter({ [arn]: { handler } }));
 */
export function lambdaTaskRunner(invoke: LambdaInvoke): TaskRunner {
  return async function runLambdaTask({ resource, parameters }): Promise<JsonValue> {
    if (resource === 'arn:aws:states:::lambda:invoke') return (await invoke(parameters)) as unknown as JsonValue;
    if (/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[^:]+(:[^:]+)?$/.test(resource)) {
      return (await invoke({ FunctionName: resource, Payload: parameters })).Payload;
    }
    throw new StatesError('States.Runtime', `Local runs do not support the Task resource ${resource}`);
  };
}
