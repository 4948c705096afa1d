import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Catalog } from '../../shared/catalog/catalogTypes.ts';
import type { DoctorOptions } from '../../scripts/doctor/doctorOptions.ts';
import type { DoctorReport, DoctorStep } from '../../scripts/doctor/doctorStep.ts';
import { formatDoctorReport } from '../../scripts/doctor/formatDoctorReport.ts';
import { LocalParameter } from '../mesh/localParameter.ts';
import { startLocalMesh, type LocalMesh } from '../mesh/startLocalMesh.ts';
import { assertNoSecrets, registerSecrets } from '../support/findSecrets.ts';
import { selfSignedCertificate } from './selfSignedCertificate.ts';

let mesh: LocalMesh;
let healthyCatalog: Catalog;
/** SSM parameters a test overwrote, restored after it. */
const restore = new Map<string, { value: string; secure: boolean }>();

beforeAll(async () => {
  mesh = await startLocalMesh();
  Object.assign(process.env, mesh.env);
  registerSecrets(mesh.secrets());
  healthyCatalog = structuredClone(mesh.catalog);
});

afterAll(async () => {
  await mesh?.stop();
});

afterEach(async () => {
  for (const [name, { value, secure }] of restore) await mesh.ssm.put(name, value, { secure });
  restore.clear();
  await mesh.putCatalog(structuredClone(healthyCatalog));
});

/** Overwrites a parameter for one test (a new version, as an operator's mistake would be). */
async function breakParameter(name: LocalParameter, value: string, original: string, secure = true): Promise<void> {
  restore.set(name, { value: original, secure });
  await mesh.ssm.put(name, value, { secure });
}

async function putCatalog(change: (catalog: Catalog) => void): Promise<void> {
  const catalog = structuredClone(healthyCatalog);
  change(catalog);
  await mesh.putCatalog(catalog);
}

/**
 * Runs the doctor as a fresh process would: new module instances, so nothing is cached from an
 * earlier run (the credential cache would otherwise keep serving the last good pair).
 */
async function doctor(options: Partial<DoctorOptions> = {}): Promise<DoctorReport> {
  vi.resetModules();
  const { runDoctor } = await import('../../scripts/doctor/runDoctor.ts');
  const report = await runDoctor({ catalogParameter: mesh.catalogParameter, probes: [], minDays: 0, timeoutMs: 5_000, ...options });
  assertNoSecrets('doctor report', formatDoctorReport(report));
  return report;
}

function failed(report: DoctorReport): DoctorStep[] {
  return report.steps.filter((step) => step.status === 'fail');
}

function step(report: DoctorReport, check: DoctorStep['check'], subject: string): DoctorStep {
  const found = report.steps.find((candidate) => candidate.check === check && candidate.subject.startsWith(subject));
  if (!found) throw new Error(`no ${check} step for ${subject}`);
  return found;
}

describe('Script: doctor (against the local mesh)', () => {
  it('passes every step of a healthy deployment, probe included, showing claims but never the token', async () => {
    // Act
    const report = await doctor({ probes: [{ service: 'orders', path: '/v1/orders/7' }] });
    // Assess
    expect(failed(report)).toEqual([]);
    expect(report.ok).toBe(true);
    const services = Object.values(healthyCatalog.services);
    const subjects = (check: DoctorStep['check']) => report.steps.filter((s) => s.check === check).map((s) => s.subject);
    expect(subjects('parameters')).toEqual(
      expect.arrayContaining(Object.keys(healthyCatalog.identities).map((name) => `identity ${name}`)),
    );
    expect(subjects('token')).toEqual(Object.keys(healthyCatalog.services).map((name) => `service ${name}`));
    expect(subjects('tls')).toEqual(services.map((service) => `${service.authority} (identity ${service.identity})`));
    expect(step(report, 'token', 'service orders').details[0]).toMatch(
      /^claims: iss=http:\/\/127\.0\.0\.1:\d+ sub=meshgate-jwt aud=https:\/\/orders\.mesh\.local scope=orders:write/,
    );
    const tls = step(report, 'tls', 'orders.mesh.local');
    expect(tls.summary).toBe('handshake succeeded (TLSv1.3, ALPN h2)');
    expect(tls.details).toContain('HEAD / without a token answered 403');
    expect(tls.details[0]).toMatch(/^chain: CN=istio-ingressgateway\.mesh\.local \(.*DNS:orders\.mesh\.local/);
    expect(step(report, 'probe', 'GET orders /v1/orders/7').summary).toMatch(/^200 in \d+ ms/);
  });

  it('fails certificates that expire within --min-days, at the certificate step', async () => {
    // The local mesh's certificates live for a day.
    const report = await doctor({ minDays: 14 });
    expect(report.ok).toBe(false);
    expect(step(report, 'certificate', 'identity default')).toMatchObject({
      status: 'fail',
      summary: 'certificate expires in 0 days (under 14)',
      fix: expect.stringContaining(`new versions of ${LocalParameter.ClientCert} and ${LocalParameter.ClientKey}`),
    });
    expect(step(report, 'certificate', LocalParameter.IngressCa).status).toBe('fail');
    // Still usable today: the token and handshake steps ran (the ingress's certificate is as short-lived).
    expect(step(report, 'token', 'service orders').status).toBe('pass');
    expect(step(report, 'tls', 'orders.mesh.local').summary).toMatch(/ingress certificate expires in 0 days/);
  });

  it('names an invalid catalog at the catalog step and stops there', async () => {
    // Prepare
    await mesh.ssm.put(mesh.catalogParameter, '{"ingress": {"url": ');
    // Act
    const report = await doctor();
    // Assess
    expect(report.steps).toHaveLength(1);
    expect(report.steps[0]).toMatchObject({
      check: 'catalog',
      status: 'fail',
      summary: expect.stringMatching(/^version \d+ does not parse: Mesh\.ConfigError: Catalog is not valid JSON$/),
    });
  });

  it('names a missing catalog parameter at the catalog step', async () => {
    const report = await doctor({ catalogParameter: '/meshgate/local/no-such-catalog' });
    expect(report.steps).toHaveLength(1);
    expect(report.steps[0]).toMatchObject({ check: 'catalog', status: 'fail', fix: expect.stringContaining('Create the String parameter') });
  });

  it('names a missing parameter at the parameters step, and skips what depends on it', async () => {
    // Prepare
    await putCatalog((catalog) => {
      catalog.identities.basic!.oidc.secretParameter = '/meshgate/local/oidc/missing-secret';
    });
    // Act
    const report = await doctor();
    // Assess
    expect(failed(report).map((s) => `${s.check} ${s.subject}`)).toEqual(['parameters identity basic']);
    const parameters = step(report, 'parameters', 'identity basic');
    expect(parameters.summary).toMatch(/^cannot read 1 of 4 parameters: Mesh\.ConfigError/);
    expect(parameters.details).toEqual([expect.stringMatching(/^\/meshgate\/local\/oidc\/missing-secret: Mesh\.ConfigError/)]);
    expect(step(report, 'certificate', 'identity basic').status).toBe('skip');
    expect(step(report, 'token', 'service orders-basic').status).toBe('skip');
    expect(step(report, 'token', 'service orders').status).toBe('pass');
  });

  it('names a key that does not match the certificate at the certificate step', async () => {
    // Prepare: a key parameter with a single version, so there is no older key to fall back to.
    const other = await mesh.pki.issueClientCertificate('someone-else');
    registerSecrets(mesh.secrets());
    await mesh.ssm.put('/meshgate/local/client/other-key', other.keyPem, { secure: true });
    await putCatalog((catalog) => {
      catalog.identities.default!.tls.keyParameter = '/meshgate/local/client/other-key';
    });
    // Act
    const report = await doctor();
    // Assess
    expect(failed(report).map((s) => `${s.check} ${s.subject}`)).toEqual(['certificate identity default']);
    expect(step(report, 'certificate', 'identity default')).toMatchObject({
      summary: `Mesh.ConfigError: Key in /meshgate/local/client/other-key does not match certificate in ${LocalParameter.ClientCert}`,
      fix: expect.stringContaining('the PEM private key that belongs to it'),
    });
    expect(step(report, 'token', 'service orders').status).toBe('skip');
    expect(step(report, 'tls', 'orders.mesh.local').status).toBe('skip');
    expect(step(report, 'token', 'service orders-basic').status).toBe('pass');
  });

  it('names a half-written rotation at the certificate step, though the invoker still works on the previous key', async () => {
    // Prepare: a new key written, its certificate not yet.
    const next = await mesh.pki.issueClientCertificate('meshgate-invoker');
    registerSecrets(mesh.secrets());
    await breakParameter(LocalParameter.ClientKey, next.keyPem, mesh.clientCertificate.keyPem);
    // Act
    const report = await doctor({ probes: [{ service: 'orders', path: '/v1/orders/7' }] });
    // Assess
    expect(step(report, 'certificate', 'identity default')).toMatchObject({
      status: 'fail',
      summary: expect.stringMatching(/^the latest certificate \(v\d+\) and key \(v\d+\) do not match: a rotation is half-written; the invoker keeps using the previous key$/),
      fix: expect.stringContaining(`write the certificate that belongs to the new key to ${LocalParameter.ClientCert}`),
    });
    expect(failed(report).every((s) => s.check === 'certificate')).toBe(true);
    expect(step(report, 'probe', 'GET orders').status).toBe('pass');
  });

  it('names an expired certificate at the certificate step', async () => {
    // Prepare
    const expired = await selfSignedCertificate({ notBeforeDays: -30, notAfterDays: -2 });
    registerSecrets(expired.secrets);
    await breakParameter(LocalParameter.ClientCert, expired.certPem, mesh.clientCertificate.certPem, false);
    await breakParameter(LocalParameter.ClientKey, expired.keyPem, mesh.clientCertificate.keyPem);
    // Act
    const report = await doctor();
    // Assess
    expect(step(report, 'certificate', 'identity default')).toMatchObject({ status: 'fail', summary: 'certificate expired 2 days ago' });
  });

  it('names a client certificate the ingress does not trust at the tls step', async () => {
    // Prepare: valid, but issued by a CA the ingress does not know.
    const stranger = await selfSignedCertificate({ notBeforeDays: -1, notAfterDays: 30 });
    registerSecrets(stranger.secrets);
    await breakParameter(LocalParameter.ClientCert, stranger.certPem, mesh.clientCertificate.certPem, false);
    await breakParameter(LocalParameter.ClientKey, stranger.keyPem, mesh.clientCertificate.keyPem);
    // Act
    const report = await doctor();
    // Assess
    expect(step(report, 'certificate', 'identity default').status).toBe('pass');
    expect(step(report, 'tls', 'orders.mesh.local')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('right after the handshake'),
      fix: expect.stringContaining('ca.crt'),
    });
  });

  it('names a wrong client secret at the token step (invalid_client)', async () => {
    // Prepare
    await breakParameter(LocalParameter.BasicSecret, 'not-the-registered-secret', mesh.idp.clientSecrets.basic);
    // Act
    const report = await doctor();
    // Assess
    expect(failed(report).map((s) => `${s.check} ${s.subject}`)).toEqual(['token service orders-basic']);
    expect(step(report, 'token', 'service orders-basic')).toMatchObject({
      summary: expect.stringMatching(/^Mesh\.Unauthorized: Token endpoint refused the client \(invalid_client\)/),
      fix: expect.stringContaining(`write the secret or private JWK it has registered for that client to ${LocalParameter.BasicSecret}`),
    });
  });

  it('names an audience the IdP does not know at the token step (invalid_target)', async () => {
    // Prepare
    await putCatalog((catalog) => {
      catalog.services['orders-post']!.audience = 'https://unknown.mesh.local';
    });
    // Act
    const report = await doctor();
    // Assess
    expect(failed(report).map((s) => `${s.check} ${s.subject}`)).toEqual(['token service orders-post']);
    expect(step(report, 'token', 'service orders-post')).toMatchObject({
      summary: expect.stringMatching(/^Mesh\.ConfigError: .*invalid_target/),
      fix: expect.stringContaining('does not know the resource "https://unknown.mesh.local"'),
    });
  });

  it('names a wrong ingress CA at the tls step and shows the chain the ingress presents', async () => {
    // Prepare
    await breakParameter(LocalParameter.IngressCa, mesh.pki.clientCaPem, mesh.pki.meshCaPem, false);
    // Act
    const report = await doctor();
    // Assess
    const tls = step(report, 'tls', 'orders.mesh.local');
    expect(tls).toMatchObject({
      status: 'fail',
      summary: expect.stringMatching(/does not verify against \/meshgate\/local\/ingress\/ca \([A-Z_]+\)$/),
      fix: expect.stringContaining(`to ${LocalParameter.IngressCa}`),
    });
    expect(tls.details[0]).toMatch(/^presented: CN=istio-ingressgateway\.mesh\.local .*issuer CN=meshgate local mesh CA/);
    expect(failed(report).every((s) => s.check === 'tls')).toBe(true);
  });

  it('names an authority the ingress has no server for at the tls step (unknown SNI)', async () => {
    // Prepare: the IdP knows the audience; the ingress does not know the name.
    await putCatalog((catalog) => {
      catalog.services['orders-post']!.authority = 'unknown.mesh.local';
    });
    // Act
    const report = await doctor();
    // Assess
    expect(failed(report).map((s) => `${s.check} ${s.subject}`)).toEqual(['tls unknown.mesh.local (identity post)']);
    expect(step(report, 'tls', 'unknown.mesh.local')).toMatchObject({
      summary: expect.stringContaining('refused the handshake for SNI unknown.mesh.local'),
      fix: expect.stringContaining('Gateway'),
    });
  });

  it('fails a probe the mesh denies, and one the catalog does not allow, naming the error the invoker would throw', async () => {
    const report = await doctor({
      probes: [
        { service: 'orders', path: '/v1/admin/users' },
        { service: 'orders-basic', path: '/v1/admin/users' },
        { service: 'nope', path: '/' },
      ],
    });
    expect(step(report, 'probe', 'GET orders /v1/admin')).toMatchObject({
      status: 'fail',
      summary: expect.stringMatching(/^403 in \d+ ms: the invoker would throw Mesh\.Unauthorized$/),
      fix: expect.stringContaining('AuthorizationPolicy'),
    });
    expect(step(report, 'probe', 'GET orders-basic')).toMatchObject({ status: 'fail', summary: expect.stringContaining('Mesh.UnknownService') });
    expect(step(report, 'probe', 'GET nope')).toMatchObject({ status: 'fail', summary: 'service "nope" is not in the catalog' });
  });

  describe('command line', () => {
    const run = (args: string[]) =>
      promisify(execFile)('npx', ['node', 'scripts/doctor.ts', ...args], { env: { ...process.env, ...mesh.env } }).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout + error.stderr }),
      );

    it('prints ✓ per step and exits 0 when everything passes', async () => {
      const { code, stdout } = await run(['--catalog-parameter', mesh.catalogParameter, '--min-days', '0', '--probe', 'orders:/v1/orders/7']);
      assertNoSecrets('doctor output', stdout);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^✓ catalog {5}\/meshgate\/local\/catalog: version \d+, \d+ services/m);
      expect(stdout).toMatch(/^✓ probe {7}GET orders \/v1\/orders\/7: 200 in/m);
      expect(stdout).toMatch(/^\d+ passed, 0 failed, 0 skipped in \d+ ms$/m);
      expect(stdout).not.toContain('✗');
    });

    it('prints ✗ with the fix and exits 1 when a step fails, and 2 for a wrong command line', async () => {
      const [failing, usage] = await Promise.all([run(['--catalog-parameter', mesh.catalogParameter]), run(['--probe', 'no-colon'])]);
      expect(failing.code).toBe(1);
      expect(failing.stdout).toMatch(/^✗ certificate identity default: certificate expires in 0 days \(under 14\)\n(?: {4}.*\n)* {4}fix: /m);
      expect(usage.code).toBe(2);
      expect(usage.stdout).toContain('usage: npm run doctor');
    });
  });
});
