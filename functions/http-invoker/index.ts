import middy from '@middy/core';
import { invokeHttp } from '../../shared/invoke/invokeHttp.ts';
import { lambdaContextLogging } from '../../shared/logging/lambdaContextLogging.ts';
import { logFailure } from '../../shared/logging/logFailure.ts';

/**
 * HttpInvokerFunction: a Step Functions Task calls a mesh service over mTLS with an OIDC token.
 * Input and output: CONTRACT.md sections 2-4. Wiring only; the logic is `invokeHttp`.
 */
// middy's own early timeout (a timer, an AbortController and a Promise.race per invocation) is off:
// the invoker answers before Lambda's deadline by itself, with Mesh.Timeout (see Deadline).
export const handler = middy(invokeHttp, { timeoutEarlyInMillis: 0 })
  .use(lambdaContextLogging())
  .use(logFailure());
