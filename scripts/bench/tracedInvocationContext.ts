import type { Context } from 'aws-lambda';
import { lambdaContext } from '../../test/support/lambdaContext.ts';
import { amznTraceId } from './amznTraceId.ts';

/**
 * What the Lambda Node.js runtime hands a handler for each invocation when tracing is active
 * (template.yaml: `Tracing: Active`) and the sandbox runs one invocation at a time: a new context
 * with the X-Ray trace header as `xRayTraceId`, and the same header in `_X_AMZN_TRACE_ID`. Built
 * outside the timed region, as the runtime builds it outside the handler.
 *
 * @example
 * await handler(JSON.parse(event), tracedInvocationContext());
 */
export function tracedInvocationContext(): Context & { xRayTraceId: string } {
  const header = amznTraceId();
  process.env._X_AMZN_TRACE_ID = header;
  return { ...lambdaContext(), xRayTraceId: header };
}
