import type { IdentityCredentials } from '../../shared/credentials/identityCredentials.ts';
import { MeshPools } from '../../shared/transport/meshPool.ts';
import { checkCatalog } from './checkCatalog.ts';
import { checkCertificate } from './checkCertificate.ts';
import { checkDescriptorParameter } from './checkDescriptorParameter.ts';
import { checkHandshake } from './checkHandshake.ts';
import { checkIngressCa } from './checkIngressCa.ts';
import { checkParameters } from './checkParameters.ts';
import { checkProbe } from './checkProbe.ts';
import { checkToken } from './checkToken.ts';
import type { DoctorOptions } from './doctorOptions.ts';
import type { DoctorReport, DoctorStep } from './doctorStep.ts';
import { Step } from './step.ts';

/**
 * Checks a deployment's configuration step by step, the way the invoker would use it: catalog,
 * parameters, certificate and key, token, TLS handshake per service, then optional probes. A step
 * whose prerequisite failed is skipped, so each breakage shows up once, at the step that names it.
 *
 * @example
 * const report = await runDoctor({ catalogParameter: '/meshgate/prod/catalog', probes: [], minDays: 14, timeoutMs: 10_000 });
 * process.exitCode = report.ok ? 0 : 1;
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const started = performance.now();
  const steps: DoctorStep[] = [];
  const finish = (): DoctorReport => ({
    steps,
    ok: steps.every((step) => step.status !== 'fail'),
    durationMs: Math.round(performance.now() - started),
  });
  const { timeoutMs, minDays } = options;

  const { step: catalogStep, catalog } = await checkCatalog(options.catalogParameter, timeoutMs);
  steps.push(catalogStep);
  if (!catalog) return finish();

  // Only identities some service uses: an unused one cannot break an invocation.
  const identityNames = [...new Set(Object.values(catalog.services).map((service) => service.identity))];
  const credentials = new Map<string, IdentityCredentials>();
  for (const identityName of identityNames) {
    const parameters = await checkParameters(catalog, identityName, timeoutMs);
    steps.push(parameters.step);
    if (parameters.latest) {
      const certificate = await checkCertificate(catalog, identityName, parameters.latest, { minDays, timeoutMs });
      steps.push(certificate.step);
      // An expiring certificate still works today: the later steps can run with it.
      if (certificate.credentials) credentials.set(identityName, certificate.credentials);
    } else {
      steps.push(Step.skip('certificate', `identity ${identityName}`, 'its parameters are unreadable'));
    }
  }
  for (const [serviceName, service] of Object.entries(catalog.services)) {
    if (service.descriptorParameter) steps.push(await checkDescriptorParameter(serviceName, service.descriptorParameter, timeoutMs));
  }
  const anyCredentials = credentials.values().next().value;
  if (anyCredentials) steps.push(checkIngressCa(catalog.ingress.caParameter, anyCredentials.caPem, minDays));

  const tokens = new Map<string, string>();
  for (const [serviceName, service] of Object.entries(catalog.services)) {
    const identityCredentials = credentials.get(service.identity);
    if (!identityCredentials) {
      steps.push(Step.skip('token', `service ${serviceName}`, `identity ${service.identity} has no usable credentials`));
      continue;
    }
    const { step, token } = await checkToken(catalog, serviceName, identityCredentials, timeoutMs);
    steps.push(step);
    if (token) tokens.set(serviceName, token);
  }

  const pools = new MeshPools();
  try {
    // Keyed by identity and authority: one connection per client certificate and SNI, as the invoker pools them.
    const connected = new Map<string, boolean>();
    for (const [serviceName, service] of Object.entries(catalog.services)) {
      const key = `${service.identity}\n${service.authority}`;
      if (connected.has(key)) continue;
      const identityCredentials = credentials.get(service.identity);
      if (!identityCredentials) {
        steps.push(Step.skip('tls', `${service.authority} (identity ${service.identity})`, 'no usable client certificate'));
        connected.set(key, false);
        continue;
      }
      const handshake = await checkHandshake(catalog, serviceName, identityCredentials, pools, { minDays, timeoutMs });
      steps.push(handshake.step);
      connected.set(key, handshake.connected);
    }
    for (const probe of options.probes) {
      const service = Object.hasOwn(catalog.services, probe.service) ? catalog.services[probe.service] : undefined;
      const subject = `GET ${probe.service} ${probe.path}`;
      const token = tokens.get(probe.service);
      const identityCredentials = service && credentials.get(service.identity);
      if (!service) {
        steps.push(Step.fail('probe', subject, `service "${probe.service}" is not in the catalog`, 'Probe one of the catalog\'s services.'));
      } else if (!token || !identityCredentials || !connected.get(`${service.identity}\n${service.authority}`)) {
        steps.push(Step.skip('probe', subject, 'no token or no working connection for this service'));
      } else {
        steps.push(await checkProbe(catalog, probe, identityCredentials, token, pools, timeoutMs));
      }
    }
  } finally {
    await pools.closeAll();
  }
  return finish();
}
