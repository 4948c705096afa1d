import { randomBytes } from 'node:crypto';

/**
 * A new X-Ray trace header value, as the Lambda runtime passes one to every invocation when
 * tracing is active (template.yaml: `Tracing: Active`). Made outside the timed region, as the
 * runtime makes it outside the handler.
 *
 * @example
 * amznTraceId() // 'Root=1-6b0923a8-88d5463a80661e57f03199df;Parent=53995c3f42cd8ad8;Sampled=1' (see tracedInvocationContext)
 */
export function amznTraceId(): string {
  const bytes = randomBytes(24).toString('hex');
  const seconds = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${seconds}-${bytes.slice(0, 24)};Parent=${bytes.slice(24, 40)};Sampled=1`;
}
