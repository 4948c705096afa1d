import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { invokeGrpc } from '../../shared/grpc/invokeGrpc.ts';
import { logger } from '../../shared/logging/logger.ts';
import { logFailure } from '../../shared/logging/logFailure.ts';
import { metrics } from '../../shared/observability/metrics.ts';

/**
 * GrpcInvokerFunction: a Step Functions Task makes a unary gRPC call to a mesh service over mTLS
 * with an OIDC token. Input and output: CONTRACT.md sections 3b and 4. Wiring only; the logic is
 * `invokeGrpc`.
 */
export const handler = middy(invokeGrpc)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(logFailure());
