import { setTimeout as sleep } from 'node:timers/promises';
import { decodeProtectedHeader } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSigningJwk } from '../mesh/generateSigningJwk.ts';
import { LocalParameter } from '../mesh/localParameter.ts';
import { normalizeSerial } from '../mesh/normalizeSerial.ts';
import type { LocalMesh } from '../mesh/startLocalMesh.ts';
import { capturedLogRecords } from '../support/capturedOutput.ts';
import { registerSecrets } from '../support/findSecrets.ts';
import { Sandbox } from '../support/invokeHandler.ts';
import { startResilienceMesh, type ResilienceMesh } from './startResilienceMesh.ts';

let resilience: ResilienceMesh;
let mesh: LocalMesh;

beforeAll(async () => {
  resilience = await startResilienceMesh();
  mesh = resilience.mesh;
});

afterEach(() => {
  vi.unstubAllEnvs();
});

afterAll(async () => {
  await resilience?.stop();
});

const basicTask = { service: 'orders-basic', path: '/v1/orders/7' };
const selfSignedTask = { service: 'orders-selfsigned', path: '/v1/orders/7' };

/** One invocation of the load loop, with what the ingress saw of it. */
interface LoopResult {
  service: string;
  startedAt: number;
  durationMs: number;
  error?: string;
  attempts?: number;
  /** Client certificate serial and token `kid` of the invocation's last request at the ingress. */
  serial?: string;
  kid?: string;
}

/** Invokes the tasks one after another, round and round, until stopped; never throws. */
function startLoad(sandbox: Sandbox, tasks: ReadonlyArray<{ service: string; path: string }>) {
  const results: LoopResult[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      for (const task of tasks) {
        const startedAt = Date.now();
        const seen = mesh.ingress.requests.length;
        const result: LoopResult = { service: task.service, startedAt, durationMs: 0 };
        try {
          result.attempts = (await sandbox.invoke(task)).meta.attempts;
        } catch (error) {
          result.error = `${(error as Error).name}: ${(error as Error).message}`;
        }
        result.durationMs = Date.now() - startedAt;
        const request = mesh.ingress.requests.slice(seen).at(-1);
        if (request) {
          result.serial = request.clientCertSerial;
          const bearer = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
          result.kid = bearer ? decodeProtectedHeader(bearer).kid : undefined;
        }
        results.push(result);
      }
    }
  })();
  return {
    results,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** The credential version each invocation used, from the audit lines, in invocation order. */
function auditedCredentialVersions(count: number): Array<string | undefined> {
  const audit = capturedLogRecords().filter((record) => record.message === 'meshgate invocation');
  return audit.slice(-count).map((record) => record.credentialVersion as string | undefined);
}

/** Writes a whole rotation (cert before key, as a careless script would); returns the new versions. */
async function rotateEverything(pause: number) {
  const certificate = await mesh.pki.issueClientCertificate('meshgate-rotated');
  const signingKey = await generateSigningJwk('self-signed');
  registerSecrets([certificate.keyPem, signingKey.privateJwk.d]);
  const oldKid = (JSON.parse((await resilience.readParameter(LocalParameter.SigningKey)).value) as { kid: string }).kid;
  const oldSecret = mesh.idp.clientSecrets.basic;
  // The mesh side of the overlap first: the IdP accepts both secrets, the ingress trusts both keys.
  const newSecret = mesh.idp.rotateBasicClientSecret();
  registerSecrets([newSecret]);
  mesh.ingress.trustSelfSignedKey(signingKey.publicJwk);

  const startedAt = Date.now();
  const cert = await mesh.ssm.put(LocalParameter.ClientCert, certificate.certPem);
  await sleep(pause); // the half-written window, made wide enough for the loop to fall into
  const key = await mesh.ssm.put(LocalParameter.ClientKey, certificate.keyPem, { secure: true });
  const secret = await mesh.ssm.put(LocalParameter.BasicSecret, newSecret, { secure: true });
  const signing = await mesh.ssm.put(LocalParameter.SigningKey, JSON.stringify(signingKey.privateJwk), { secure: true });
  return {
    startedAt,
    writtenAt: Date.now(),
    serial: normalizeSerial(certificate.serialNumber),
    kid: signingKey.publicJwk.kid,
    oldKid,
    oldSecret,
    versions: { cert, key, secret, signing },
  };
}

/** Retires the old secret, key and certificate; returns when the revocation started and ended. */
async function retireOld(rotation: Awaited<ReturnType<typeof rotateEverything>>, oldSerial: string) {
  mesh.idp.retireBasicClientSecret(rotation.oldSecret);
  mesh.ingress.distrustSelfSignedKey(rotation.oldKid);
  const startedAt = Date.now();
  await mesh.ingress.revokeClientCertificate(oldSerial);
  return { startedAt, endedAt: Date.now() };
}

/**
 * The invocations that failed, less one the revocation may cut after its answer began: the
 * ingress drops the old certificate's connections at once, so a response whose headers had
 * arrived can lose its body. That is Mesh.Unavailable with the status (CONTRACT.md section 4:
 * the request reached the service, so the invoker leaves it to ASL Retry), and it can only be
 * the one invocation in flight then (the load runs one at a time). Any other failure, and a
 * stale socket not resent (no status), still counts.
 */
function failuresBesidesCutResponse(results: LoopResult[], revocation: { startedAt: number; endedAt: number }): LoopResult[] {
  const failures = results.filter((result) => result.error);
  const cut = failures.filter(
    (result) =>
      result.error!.startsWith('Mesh.Unavailable: ') &&
      result.error!.includes('Connection closed while reading the response') &&
      /"status":\d{3}/.test(result.error!) &&
      result.startedAt <= revocation.endedAt &&
      result.startedAt + result.durationMs >= revocation.startedAt,
  );
  return cut.length === 1 ? failures.filter((result) => result !== cut[0]) : failures;
}

describe('Resilience: credential rotation under load', () => {
  it('rotates certificate, client secret and signing key under load: new versions within the cache age, zero failures', async () => {
    // Prepare
    const cacheSeconds = 2;
    vi.stubEnv('MESHGATE_CACHE_SECONDS', String(cacheSeconds));
    const sandbox = await new Sandbox().coldStart();
    await sandbox.invoke(basicTask);
    const oldSerial = mesh.ingress.requests.at(-1)!.clientCertSerial;
    const load = startLoad(sandbox, [basicTask, selfSignedTask]);
    await sleep(300);

    // Act
    const rotation = await rotateEverything(300);
    const newVersion = `cert:${rotation.versions.cert}.key:${rotation.versions.key}`;
    await vi.waitFor(
      () => {
        const recent = load.results.filter((result) => result.startedAt > rotation.writtenAt).slice(-2);
        expect(recent.map((result) => result.serial)).toEqual([rotation.serial, rotation.serial]);
      },
      { timeout: cacheSeconds * 1000 * 3, interval: 50 },
    );
    const inUseAt = Date.now();
    await retireOld(rotation, oldSerial);
    await sleep(1_000);
    await load.stop();

    // Assess
    const { results } = load;
    const versions = auditedCredentialVersions(results.length);
    const failures = results.filter((result) => result.error);
    // By now the load uses the new certificate only: the revocation closes an idle connection.
    expect(failures).toEqual([]);
    const firstNew = results.findIndex((result, index) => result.serial === rotation.serial && versions[index]?.startsWith(newVersion));
    const recoveryMs = results[firstNew]!.startedAt - rotation.writtenAt;
    const afterRetirement = results.filter((result) => result.startedAt > inUseAt + 100);
    expect(afterRetirement.length).toBeGreaterThan(2);
    expect(afterRetirement.every((result) => result.serial === rotation.serial)).toBe(true);
    expect(afterRetirement.filter((result) => result.service === 'orders-selfsigned').every((result) => result.kid === rotation.kid)).toBe(true);
    // The basic identity's token was requested with the new secret: its credential version names it.
    const lastBasic = results.map((result, index) => ({ result, version: versions[index] })).filter(({ result }) => result.service === 'orders-basic').at(-1)!;
    expect(lastBasic.version).toContain(`secret:${rotation.versions.secret}`);
    // Never a mismatched pair: the ingress saw only the old or the new certificate, every handshake completing.
    expect(new Set(results.map((result) => result.serial))).toEqual(new Set([oldSerial, rotation.serial]));
    expect(recoveryMs).toBeLessThanOrEqual(cacheSeconds * 1000 + 500);
    console.info(
      JSON.stringify({
        measured: 'rotation within cache age',
        invocations: results.length,
        failures: failures.length,
        retried: results.filter((result) => (result.attempts ?? 1) > 1).length,
        recoveryMs,
        cacheSeconds,
      }),
    );
  });

  it('rotates and revokes at once: the first refusal forces a refresh; nothing fails but a response the revocation cut', async () => {
    // Prepare: a long cache age, so only the refusal can bring the new versions in.
    const sandbox = await new Sandbox().coldStart();
    await sandbox.invoke(basicTask);
    const oldSerial = mesh.ingress.requests.at(-1)!.clientCertSerial;
    const load = startLoad(sandbox, [basicTask, selfSignedTask]);
    await sleep(300);

    // Act
    const rotation = await rotateEverything(0);
    const revocation = await retireOld(rotation, oldSerial);
    const revokedAt = revocation.endedAt;
    await sleep(1_000);
    await load.stop();

    // Assess
    const { results } = load;
    expect(failuresBesidesCutResponse(results, revocation)).toEqual([]);
    const after = results.filter((result) => result.startedAt >= revokedAt);
    expect(after.length).toBeGreaterThan(2);
    expect(after.every((result) => result.serial === rotation.serial)).toBe(true);
    const refused = results.filter((result) => (result.attempts ?? 1) > 1);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    const recovered = results.find((result) => result.startedAt + result.durationMs >= revokedAt && result.serial === rotation.serial)!;
    console.info(
      JSON.stringify({
        measured: 'rotation on first refusal',
        invocations: results.length,
        failures: results.filter((result) => result.error).length,
        retried: refused.length,
        attemptCounts: Object.fromEntries([1, 2, 3].map((n) => [n, results.filter((result) => result.attempts === n).length])),
        recoveryInvocationMs: recovered.durationMs,
        recoveredAfterRevocationMs: recovered.startedAt + recovered.durationMs - revokedAt,
      }),
    );
  });
});

describe('Resilience: half-written rotation', () => {
  it('keeps the last good pair while only the certificate is new, then picks up the pair within the cache age', async () => {
    // Prepare
    vi.stubEnv('MESHGATE_CACHE_SECONDS', '1');
    const sandbox = await new Sandbox().coldStart();
    await sandbox.invoke(basicTask);
    const oldSerial = mesh.ingress.requests.at(-1)!.clientCertSerial;
    const next = await mesh.pki.issueClientCertificate('meshgate-half');
    registerSecrets([next.keyPem]);
    const failedHandshakes = mesh.ingress.failedHandshakes;

    // Act: the certificate only, then invocations across several cache ages
    await mesh.ssm.put(LocalParameter.ClientCert, next.certPem);
    resilience.ssmProxy.resetCounts();
    const during: LoopResult[] = [];
    for (const until = Date.now() + 2_500; Date.now() < until; await sleep(100)) {
      const output = await sandbox.invoke(basicTask);
      during.push({ service: 'orders-basic', startedAt: 0, durationMs: 0, attempts: output.meta.attempts, serial: mesh.ingress.requests.at(-1)!.clientCertSerial });
    }
    const readsDuring = resilience.ssmProxy.counts('GetParameters').calls;
    await mesh.ssm.put(LocalParameter.ClientKey, next.keyPem, { secure: true });
    const keyWrittenAt = Date.now();
    let pickedUpAt = 0;
    while (!pickedUpAt && Date.now() < keyWrittenAt + 5_000) {
      await sandbox.invoke(basicTask);
      if (mesh.ingress.requests.at(-1)!.clientCertSerial === normalizeSerial(next.serialNumber)) pickedUpAt = Date.now();
      else await sleep(100);
    }

    // Assess
    expect(during.every((result) => result.serial === oldSerial && result.attempts === 1)).toBe(true);
    expect(mesh.ingress.failedHandshakes).toBe(failedHandshakes);
    // One look per recheck interval (the cache age here), not one per invocation: catalog + identity each ≤ 4 in 2.5 s.
    expect(readsDuring).toBeLessThanOrEqual(8);
    expect(capturedLogRecords().some((record) => record.message === 'Certificate and key do not match; keeping last good pair')).toBe(true);
    expect(pickedUpAt).toBeGreaterThan(0);
    expect(pickedUpAt - keyWrittenAt).toBeLessThanOrEqual(1_000 + 500);
    console.info(JSON.stringify({ measured: 'half-written rotation', invocationsDuring: during.length, ssmCallsDuring: readsDuring, pickedUpAfterKeyMs: pickedUpAt - keyWrittenAt }));
  });

  it.each([
    ['certificate', LocalParameter.ClientCert],
    ['key', LocalParameter.ClientKey],
  ] as const)('serves a cold start while only the %s is new, from the previous version of the other half', async (_half, parameter) => {
    // Prepare
    const before = await new Sandbox().coldStart();
    await before.invoke(basicTask);
    const currentSerial = mesh.ingress.requests.at(-1)!.clientCertSerial;
    const next = await mesh.pki.issueClientCertificate('meshgate-cold-half');
    registerSecrets([next.keyPem]);
    await mesh.ssm.put(parameter, parameter === LocalParameter.ClientCert ? next.certPem : next.keyPem, { secure: parameter === LocalParameter.ClientKey });
    resilience.ssmProxy.resetCounts();

    // Act
    const output = await new Sandbox().invoke(basicTask);

    // Assess
    expect(output.meta.attempts).toBe(1);
    expect(mesh.ingress.requests.at(-1)!.clientCertSerial).toBe(currentSerial);
    // Catalog, identity, and the one read of the previous versions.
    expect(resilience.ssmProxy.counts('GetParameters').calls).toBe(3);
    expect(capturedLogRecords().some((record) => record.message === 'Certificate and key do not match; using the previous version of one')).toBe(true);

    // Complete the rotation, so the next test starts from a matching pair.
    const other = parameter === LocalParameter.ClientCert ? LocalParameter.ClientKey : LocalParameter.ClientCert;
    await mesh.ssm.put(other, other === LocalParameter.ClientCert ? next.certPem : next.keyPem, { secure: other === LocalParameter.ClientKey });
    await new Sandbox().invoke(basicTask);
    expect(mesh.ingress.requests.at(-1)!.clientCertSerial).toBe(normalizeSerial(next.serialNumber));
  });
});
