import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { invokeHttp } from '../../shared/invoke/invokeHttp.ts';
import { logger } from '../../shared/logging/logger.ts';
import { logFailure } from '../../shared/logging/logFailure.ts';
import { metrics } from '../../shared/observability/metrics.ts';

/**
 * HttpInvokerFunction: a Step Functions Task calls a mesh service over mTLS with an OIDC token.
 * Input and output: CONTRACT.md sections 2-4. Wiring only; the logic is `invokeHttp`.
 */
export const handler = middy(invokeHttp)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(logFailure());
