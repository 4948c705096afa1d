import { describe, expect, it } from 'vitest';
import { lambdaInvokeAdapter, STATE_PAYLOAD_LIMIT_BYTES } from '../../../scripts/workflow/lambdaInvokeAdapter.ts';
import type { LambdaHandler } from '../../../scripts/workflow/invokeLocalFunction.ts';
import { localFunctionArn } from '../../../scripts/workflow/localFunctionArn.ts';
import { StatesError } from '../../../scripts/workflow/statesError.ts';

// Plain handlers stand in for the invoker here: these tests are about the integration's envelope.
const arn = localFunctionArn('HttpInvokerFunction');
const adapterFor = (handler: LambdaHandler, timeoutSeconds?: number) =>
  lambdaInvokeAdapter({ [arn]: { handler, ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }) } });

async function failure(promise: Promise<unknown>): Promise<StatesError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StatesError) return error;
    throw error;
  }
  throw new Error('expected the invocation to fail');
}

describe('Function: lambdaInvokeAdapter', () => {
  it('passes the Payload as JSON with a Lambda context and answers like lambda:invoke', async () => {
    // Prepare
    let seen: { event?: unknown; remaining?: number; name?: string } = {};
    const invoke = adapterFor(async (event, context) => {
      seen = { event, remaining: context.getRemainingTimeInMillis(), name: context.functionName };
      return { ok: true, at: new Date(0) };
    }, 30);

    // Act
    const result = await invoke({ FunctionName: arn, Payload: { service: 'orders', skip: undefined } });

    // Assess
    expect(seen.event).toEqual({ service: 'orders' });
    expect(seen.remaining).toBeGreaterThan(29_000);
    expect(seen.name).toBe('HttpInvokerFunction');
    expect(result).toMatchObject({ ExecutedVersion: '$LATEST', StatusCode: 200, Payload: { ok: true, at: '1970-01-01T00:00:00.000Z' } });
    expect(result.SdkResponseMetadata.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts the function name or a qualified ARN as FunctionName', async () => {
    const invoke = adapterFor(() => 'ok');
    await expect(invoke({ FunctionName: 'HttpInvokerFunction', Payload: {} })).resolves.toMatchObject({ Payload: 'ok' });
    await expect(invoke({ FunctionName: `${arn}:$LATEST`, Payload: {} })).resolves.toMatchObject({ Payload: 'ok' });
  });

  it('throws a function error with its name as Error and the runtime error JSON as Cause', async () => {
    // Prepare
    const invoke = adapterFor(() => {
      const error = new Error('{"message":"Service answered 503","status":503}');
      error.name = 'Mesh.Unavailable';
      throw error;
    });

    // Act
    const error = await failure(invoke({ FunctionName: arn, Payload: {} }));

    // Assess
    expect(error.name).toBe('Mesh.Unavailable');
    const cause = JSON.parse(error.message) as { errorType: string; errorMessage: string; trace: string[] };
    expect(Object.keys(cause)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(cause.errorType).toBe('Mesh.Unavailable');
    expect(JSON.parse(cause.errorMessage)).toEqual({ message: 'Service answered 503', status: 503 });
    expect(cause.trace[0]).toContain('Mesh.Unavailable');
  });

  it('fails an unknown function as Lambda.ResourceNotFoundException (an unsubstituted ARN shows here)', async () => {
    const error = await failure(adapterFor(() => 'ok')({ FunctionName: '${HttpInvokerFunctionArn}', Payload: {} }));
    expect(error.name).toBe('Lambda.ResourceNotFoundException');
  });

  it('fails a result or an input over 256 KiB as States.DataLimitExceeded', async () => {
    // Prepare
    const big = 'x'.repeat(STATE_PAYLOAD_LIMIT_BYTES);
    const invoke = adapterFor((event) => ((event as { echo?: boolean }).echo ? { big } : 'small'));

    // Act
    const overResult = await failure(invoke({ FunctionName: arn, Payload: { echo: true } }));
    const overInput = await failure(invoke({ FunctionName: arn, Payload: { big } }));

    // Assess
    expect([overResult.name, overInput.name]).toEqual(['States.DataLimitExceeded', 'States.DataLimitExceeded']);
    expect(overResult.message).toMatch(/^The task result is \d+ bytes/);
    expect(overInput.message).toMatch(/^The task input is \d+ bytes/);
  });

  it('answers a run past the function timeout as Sandbox.Timedout', async () => {
    // Prepare
    const invoke = adapterFor(() => new Promise((resolve) => setTimeout(resolve, 1_000)), 0.05);

    // Act
    const error = await failure(invoke({ FunctionName: arn, Payload: {} }));

    // Assess
    expect(error.name).toBe('Sandbox.Timedout');
    expect(JSON.parse(error.message).errorMessage).toMatch(/Task timed out after 0\.05 seconds/);
  });
});
