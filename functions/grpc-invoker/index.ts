import middy from '@middy/core';
import { invokeGrpc } from '../../shared/grpc/invokeGrpc.ts';
import { lambdaContextLogging } from '../../shared/logging/lambdaContextLogging.ts';
import { logFailure } from '../../shared/logging/logFailure.ts';

/**
 * GrpcInvokerFunction: a Step Functions Task makes a unary gRPC call to a mesh service over mTLS
 * with an OIDC token. Input and output: CONTRACT.md sections 3b and 4. Wiring only; the logic is
 * `invokeGrpc`.
 */
// middy's own early timeout (a timer, an AbortController and a Promise.race per invocation) is off:
// the invoker answers before Lambda's deadline by itself, with Mesh.Timeout (see Deadline).
export const handler = middy(invokeGrpc, { timeoutEarlyInMillis: 0 })
  .use(lambdaContextLogging())
  .use(logFailure());
