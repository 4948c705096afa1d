import { randomBytes } from 'node:crypto';

/**
 * A new X-Ray trace header value, as the Lambda runtime passes one to every invocation when
 * tracing is active (template.yaml: `Tracing: Active`). Made outside the timed region, as the
 * runtime makes it outside the handler.
 *
 * @example
 * const context = { ...lambdaContext(), xRayTraceId: amznTraceId() };
 */
export function amznTraceId(): string {
  const bytes = randomBytes(24).toString('hex');
  const seconds = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${seconds}-${bytes.slice(0, 24)};Parent=${bytes.slice(24, 40)};Sampled=1`;
}
