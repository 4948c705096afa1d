import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedIssuer } from '../mesh/localCatalog.ts';
import { LocalParameter } from '../mesh/localParameter.ts';
import type { LocalMesh } from '../mesh/startLocalMesh.ts';
import { assertNoSecrets, registerSecrets } from '../support/findSecrets.ts';
import { Sandbox } from '../support/invokeHandler.ts';
import { startResilienceMesh, type ResilienceMesh } from './startResilienceMesh.ts';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const run = promisify(execFile);
const selfSignedTask = { service: 'orders-selfsigned', path: '/v1/orders/7' };

let resilience: ResilienceMesh;
let mesh: LocalMesh;
let workDir: string;

beforeAll(async () => {
  [resilience, workDir] = await Promise.all([startResilienceMesh(), mkdtemp(join(tmpdir(), 'meshgate-jwks-'))]);
  mesh = resilience.mesh;
});

afterAll(async () => {
  await resilience?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** `npm run jwks -- ...args` against the mesh's SSM (moto directly: this is an operator's tool). */
async function jwks(...args: string[]): Promise<{ keys: Array<JWK & { kid: string }> }> {
  const { stdout, stderr } = await run(process.execPath, [join(repoRoot, 'scripts/jwks.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...mesh.env },
  });
  assertNoSecrets('npm run jwks stdout', stdout);
  assertNoSecrets('npm run jwks stderr', stderr);
  return JSON.parse(stdout) as { keys: Array<JWK & { kid: string }> };
}

/** What applying the JWKS to the RequestAuthentication does: the gateway trusts these keys (replacing same-kid ones). */
function applyToIngress(set: { keys: Array<JWK & { kid: string }> }): void {
  for (const key of set.keys) {
    mesh.ingress.distrustSelfSignedKey(key.kid);
    mesh.ingress.trustSelfSignedKey(key);
  }
}

function tokenKid(): string {
  return decodeProtectedHeader(String(mesh.ingress.requests.at(-1)!.headers.authorization).slice('Bearer '.length)).kid!;
}

describe('Script: npm run jwks (self_signed signing-key rotation with kid)', () => {
  it('publishes old and new public keys through the overlap; the mesh trusting exactly them never refuses a token', async () => {
    // Prepare: a warm sandbox whose token is signed with the current key
    const warm = await new Sandbox().coldStart();
    await warm.invoke(selfSignedTask);
    const currentKid = tokenKid();

    // Act 1: the JWKS today verifies the invoker's token
    const today = await jwks();
    const token = String(mesh.ingress.requests.at(-1)!.headers.authorization).slice('Bearer '.length);
    const verified = await jwtVerify(token, createLocalJWKSet(today), { issuer: selfSignedIssuer });

    // Act 2: stage a new key; publish the JWKS with it (the mesh now trusts both), then write it
    const nextFile = join(workDir, 'next.jwk');
    const staged = await jwks('--generate', nextFile);
    const nextJwk = JSON.parse(await readFile(nextFile, 'utf8')) as JWK & { kid: string; d: string };
    registerSecrets([nextJwk.d]);
    applyToIngress(staged);
    await mesh.ssm.put(LocalParameter.SigningKey, JSON.stringify(nextJwk), { secure: true });
    const duringOverlap = await jwks();
    const cold = await new Sandbox().invoke(selfSignedTask);
    const coldKid = tokenKid();
    const warmDuringOverlap = await warm.invoke(selfSignedTask);
    const warmKid = tokenKid();

    // Act 3: after the overlap only the new key remains; the mesh drops the old one
    const afterOverlap = await jwks('--overlap-seconds', '0');
    mesh.ingress.distrustSelfSignedKey(currentKid);
    const warmAfter = await warm.invoke(selfSignedTask);

    // Assess
    expect(today.keys.map((key) => key.kid)).toEqual([currentKid]);
    expect(verified.protectedHeader.kid).toBe(currentKid);
    expect(today.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(today.keys[0]).not.toHaveProperty('d');
    expect((await stat(nextFile)).mode & 0o777).toBe(0o600);
    expect(staged.keys.map((key) => key.kid).sort()).toEqual([currentKid, nextJwk.kid].sort());
    expect(duringOverlap.keys.map((key) => key.kid).sort()).toEqual([currentKid, nextJwk.kid].sort());
    expect(cold.status).toBe(200);
    expect(coldKid).toBe(nextJwk.kid);
    // The warm sandbox still holds a valid token signed with the old key: accepted during the overlap.
    expect(warmDuringOverlap).toMatchObject({ status: 200, meta: { attempts: 1 } });
    expect(warmKid).toBe(currentKid);
    expect(afterOverlap.keys.map((key) => key.kid)).toEqual([nextJwk.kid]);
    // Its old token is now refused (401 invalid_token): one forced refresh reads the new key.
    expect(warmAfter).toMatchObject({ status: 200, meta: { attempts: 2 } });
    expect(tokenKid()).toBe(nextJwk.kid);
  });

  it('refuses a wrong command line with exit code 2', async () => {
    await expect(run(process.execPath, [join(repoRoot, 'scripts/jwks.ts'), '--identity', 'default'], { cwd: repoRoot, env: { ...process.env, ...mesh.env } })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('"default" is not a self_signed identity'),
    });
  });
});
