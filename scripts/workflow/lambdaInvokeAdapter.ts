import type { JsonValue } from './jsonValue.ts';
import { invokeLocalFunction, type LocalLambdaFunction } from './invokeLocalFunction.ts';
import { StatesError } from './statesError.ts';

/** What `arn:aws:states:::lambda:invoke` hands the state as its result. */
export interface LambdaInvokeResult {
  ExecutedVersion: string;
  Payload: JsonValue;
  StatusCode: number;
  SdkHttpMetadata: { HttpStatusCode: number; HttpHeaders: Record<string, string> };
  SdkResponseMetadata: { RequestId: string };
}

/** The integration: the Task's resolved Parameters/Arguments (`{ FunctionName, Payload }`) in, the result out. */
export type LambdaInvoke = (parameters: unknown) => Promise<LambdaInvokeResult>;

/** Step Functions' limit on a state's input, output and a task's result (UTF-8 bytes). */
export const STATE_PAYLOAD_LIMIT_BYTES = 256 * 1024;

/**
 * Emulates the `arn:aws:states:::lambda:invoke` integration (request-response) for local runs:
 * the Payload goes to the handler as Lambda's runtime would pass it (invokeLocalFunction), the
 * answer comes back as `{ ExecutedVersion, Payload, StatusCode, ... }`. A function error is thrown
 * as Step Functions reports it: Error = the error's `name` (what Retry/Catch match), Cause = the
 * runtime's `{"errorType","errorMessage","trace"}` JSON. Task input or result over 256 KiB fails
 * as `States.DataLimitExceeded`; an unknown FunctionName as `Lambda.ResourceNotFoundException`.
 *
 * One warm "sandbox" (module instance) serves every invocation, concurrent ones included; Lambda
 * would give each concurrent invocation its own.
 *
 * @example
 * const invoke = lambdaInvokeAdapter({ [localFunctionArn('HttpInvokerFunction')]: { handler } });
 * const { Payload } = await invoke({ FunctionName: localFunctionArn('HttpInvokerFunction'), Payload: task });
 */
export function lambdaInvokeAdapter(functions: Record<string, LocalLambdaFunction>): LambdaInvoke {
  return async function lambdaInvoke(parameters: unknown): Promise<LambdaInvokeResult> {
    if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
      throw new StatesError('States.Runtime', 'lambda:invoke needs an object with FunctionName and Payload');
    }
    const { FunctionName: functionName, Payload: payload = {} } = parameters as { FunctionName?: unknown; Payload?: unknown };
    const fn = typeof functionName === 'string' ? findFunction(functions, functionName) : undefined;
    if (!fn) {
      throw new StatesError('Lambda.ResourceNotFoundException', `Function not found: ${String(functionName)} (Service: Lambda, Status Code: 404)`);
    }
    checkSize(payload, 'The task input');
    const invocation = await invokeLocalFunction(fn.local, payload, fn.name);
    if (!invocation.ok) throw new StatesError(invocation.error.errorType, JSON.stringify(invocation.error));
    const result: LambdaInvokeResult = {
      ExecutedVersion: '$LATEST',
      Payload: invocation.payload,
      StatusCode: 200,
      SdkHttpMetadata: { HttpStatusCode: 200, HttpHeaders: { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' } },
      SdkResponseMetadata: { RequestId: invocation.requestId },
    };
    checkSize(result, 'The task result');
    return result;
  };
}

function findFunction(functions: Record<string, LocalLambdaFunction>, functionName: string) {
  for (const [arn, local] of Object.entries(functions)) {
    const name = arn.slice(arn.lastIndexOf(':') + 1);
    // FunctionName may be the ARN, the ARN with a version/alias qualifier, or the bare name.
    if (functionName === arn || functionName === name || functionName.startsWith(`${arn}:`)) return { local, name };
  }
  return undefined;
}

function checkSize(value: unknown, what: string): void {
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? 'null');
  if (bytes > STATE_PAYLOAD_LIMIT_BYTES) {
    throw new StatesError('States.DataLimitExceeded', `${what} is ${bytes} bytes, over the ${STATE_PAYLOAD_LIMIT_BYTES}-byte limit of Step Functions`);
  }
}
