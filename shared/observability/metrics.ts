import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The invokers' EMF metrics (namespace `meshgate`, or POWERTOOLS_METRICS_NAMESPACE), flushed once
 * per invocation by the `logMetrics` middleware. Its `service` dimension starts as the function's
 * service name (what the ColdStart metric carries) and is set to the mesh service per invocation.
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || 'meshgate',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'meshgate',
});
