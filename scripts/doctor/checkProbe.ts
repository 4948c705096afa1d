import { randomUUID } from 'node:crypto';
import type { Catalog } from '../../shared/catalog/catalogTypes.ts';
import { resolveHttpService } from '../../shared/catalog/resolveHttpService.ts';
import type { IdentityCredentials } from '../../shared/credentials/identityCredentials.ts';
import { attemptFailureError } from '../../shared/invoke/attemptFailureError.ts';
import { MESHGATE_VERSION } from '../../shared/invoke/meshgateVersion.ts';
import { redactSecrets } from '../../shared/logging/redactSecrets.ts';
import { traceContext } from '../../shared/observability/traceContext.ts';
import { tracingHeaders } from '../../shared/observability/tracingHeaders.ts';
import { cutUtf8 } from '../../shared/result/cutUtf8.ts';
import { statusError } from '../../shared/result/statusError.ts';
import { parseHttpTask } from '../../shared/task/parseHttpTask.ts';
import { AttemptFailure } from '../../shared/transport/attemptFailure.ts';
import type { MeshPools } from '../../shared/transport/meshPool.ts';
import { sendAttempt } from '../../shared/transport/sendAttempt.ts';
import { describeError } from './describeError.ts';
import type { DoctorProbe } from './doctorOptions.ts';
import type { DoctorStep } from './doctorStep.ts';
import { Step } from './step.ts';

const MAX_PROBE_BYTES = 1024 * 1024;
const SHOWN_BODY_BYTES = 200;
const REDACT_WINDOW_BYTES = 16 * 1024;

/** What the mesh's local replies mean, by status, for the fix line. */
const STATUS_FIX: Record<number, string> = {
  401: "The mesh rejected the token (RequestAuthentication): its issuer, jwksUri/jwks and audiences must match the token's iss, signing key and aud (npm run istio).",
  403: "The mesh denied the call (AuthorizationPolicy): the policy must allow this token's principal (iss/sub) for this host, method and path (npm run istio).",
  404: "No route for this host and path: the Gateway's hosts and a VirtualService bound to it must cover the service's authority.",
  503: 'The gateway has no healthy upstream: check the VirtualService destination and the workload.',
  504: "The workload is slower than the route's timeout.",
};

/**
 * Step 6 (optional): a `GET path` to the service, sent the way the invoker sends it — the task
 * rules for the path, the catalog's allow-list, token, SNI, tracing headers — through the same pool.
 *
 * @example
 * const step = await checkProbe(catalog, { service: 'orders', path: '/v1/orders/7' }, credentials, token, pools, 10_000);
 */
export async function checkProbe(
  catalog: Catalog,
  probe: DoctorProbe,
  credentials: IdentityCredentials,
  token: string,
  pools: MeshPools,
  timeoutMs: number,
): Promise<DoctorStep> {
  const subject = `GET ${probe.service} ${probe.path}`;
  let target: string;
  try {
    const task = parseHttpTask({ service: probe.service, method: 'GET', path: probe.path });
    target = task.target;
    resolveHttpService(catalog, task.service, 'GET', target.split('?')[0]!);
  } catch (error) {
    return Step.fail('probe', subject, describeError(error), 'Probe a path the catalog allows for this service with GET (methods and paths).');
  }
  const service = catalog.services[probe.service]!;
  const requestId = randomUUID();
  const started = performance.now();
  try {
    const response = await sendAttempt(pools.get(catalog.ingress.url, service.authority, credentials), {
      method: 'GET',
      path: target,
      headers: {
        accept: 'application/json, */*;q=0.8',
        host: service.authority,
        authorization: `Bearer ${token}`,
        'user-agent': `meshgate-doctor/${MESHGATE_VERSION}`,
        'x-request-id': requestId,
        // A trace of its own: the doctor runs outside any invocation.
        ...tracingHeaders(traceContext(undefined)),
      },
      timeoutMs,
      maxResponseBytes: MAX_PROBE_BYTES,
    });
    const ms = Math.round(performance.now() - started);
    // Redacted before the cut (over a window larger than any token), as the invoker does for error details.
    const body = cutUtf8(Buffer.from(redactSecrets(cutUtf8(response.body, REDACT_WINDOW_BYTES), [token])), SHOWN_BODY_BYTES);
    const details = [`x-request-id ${requestId}`, ...(body ? [`body: ${body.replace(/\s+/g, ' ')}`] : [])];
    if (response.status >= 200 && response.status < 300) {
      return Step.pass('probe', subject, `${response.status} in ${ms} ms, ${response.body.length} bytes`, details);
    }
    const named = statusError(response.status, { service: probe.service, status: response.status });
    const fix = STATUS_FIX[response.status] ?? (response.status >= 500 ? 'The service itself failed: see its logs for this x-request-id.' : 'The service refused the request: see its logs for this x-request-id.');
    return Step.fail('probe', subject, `${response.status} in ${ms} ms: the invoker would throw ${named.name}`, fix, details);
  } catch (error) {
    if (!(error instanceof AttemptFailure)) throw error;
    const named = attemptFailureError(error, probe.service, MAX_PROBE_BYTES);
    return Step.fail('probe', subject, describeError(named), 'See the tls step above: the connection itself failed.');
  }
}
