import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalParameter } from '../../mesh/localParameter.ts';
import { startLocalMesh, type LocalMesh } from '../../mesh/startLocalMesh.ts';
import { registerSecrets } from '../../support/findSecrets.ts';
import { errorJson, Sandbox } from '../../support/invokeHandler.ts';

// Each test breaks one part of the deployment (catalog, a parameter, SSM, the IdP, the ingress)
// and puts it back afterwards, so the order of tests does not matter.
let mesh: LocalMesh;
const task = { service: 'orders', path: '/v1/orders/A-17' };
const basicTask = { service: 'orders-basic', path: '/v1/orders/A-17' };
const restore: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  mesh = await startLocalMesh();
  Object.assign(process.env, mesh.env);
  registerSecrets(mesh.secrets());
});

afterEach(async () => {
  for (const undo of restore.splice(0).reverse()) await undo();
});

afterAll(async () => {
  await mesh?.stop();
});

/** Overwrites a parameter for one test; the original value is written back afterwards. */
async function putForTest(name: string, value: string, secure = false): Promise<void> {
  const original = (await mesh.ssm.client.send(new (await import('@aws-sdk/client-ssm')).GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter!;
  restore.push(() => mesh.ssm.put(name, original.Value!, { secure: original.Type === 'SecureString' }));
  await mesh.ssm.put(name, value, { secure });
}

function setEnvForTest(name: string, value: string): void {
  const original = process.env[name];
  restore.push(() => {
    if (original === undefined) delete process.env[name];
    else process.env[name] = original;
  });
  process.env[name] = value;
}

describe('Function: HttpInvokerFunction (configuration and outages)', () => {
  it('fails a catalog that is not JSON as Mesh.ConfigError', async () => {
    // Prepare
    await putForTest(LocalParameter.Catalog, '{"ingress": ');
    // Act
    const error = await new Sandbox().invokeError(task);
    // Assess
    expect(error.name).toBe('Mesh.ConfigError');
    expect(errorJson(error)).toMatchObject({ message: 'Catalog is not valid JSON', service: 'orders' });
  });

  it('fails an HTTP service without methods as Mesh.ConfigError', async () => {
    const broken = structuredClone(mesh.catalog);
    delete broken.services.orders!.methods;
    await putForTest(LocalParameter.Catalog, JSON.stringify(broken));
    const error = await new Sandbox().invokeError(task);
    expect(error.name).toBe('Mesh.ConfigError');
    expect(errorJson(error).message).toContain('services.orders.methods');
  });

  it('fails a key that does not match the certificate as Mesh.ConfigError on a cold start', async () => {
    // Prepare
    const other = await mesh.pki.issueClientCertificate('other');
    registerSecrets([other.keyPem]);
    await putForTest(LocalParameter.ClientKey, other.keyPem, true);
    // Twice: after one write a cold sandbox pairs the certificate with the key's previous (matching) version.
    await mesh.ssm.put(LocalParameter.ClientKey, other.keyPem, { secure: true });
    const requests = mesh.ingress.requests.length;
    // Act
    const error = await new Sandbox().invokeError(task);
    // Assess
    expect(error.name).toBe('Mesh.ConfigError');
    expect(errorJson(error).message).toBe(`Key in ${LocalParameter.ClientKey} does not match certificate in ${LocalParameter.ClientCert}`);
    expect(mesh.ingress.requests.length).toBe(requests);
  });

  it('fails an ingress certificate that does not verify against caParameter as Mesh.ConfigError', async () => {
    await putForTest(LocalParameter.IngressCa, mesh.pki.clientCaPem);
    const error = await new Sandbox().invokeError(task);
    expect(error.name).toBe('Mesh.ConfigError');
    expect(errorJson(error).message).toMatch(/^Ingress certificate does not verify against caParameter/);
  });

  it('fails a missing parameter as Mesh.ConfigError naming it', async () => {
    const broken = structuredClone(mesh.catalog);
    broken.identities.default!.tls.certParameter = '/meshgate/local/does-not-exist';
    await putForTest(LocalParameter.Catalog, JSON.stringify(broken));
    const error = await new Sandbox().invokeError(task);
    expect(error.name).toBe('Mesh.ConfigError');
    expect(errorJson(error).message).toContain('/meshgate/local/does-not-exist');
  });

  it('fails a cold start with SSM unreachable as Mesh.CredentialsUnavailable', async () => {
    setEnvForTest('AWS_ENDPOINT_URL_SSM', 'http://127.0.0.1:9');
    const error = await new Sandbox().invokeError(task, 5_000);
    expect(error.name).toBe('Mesh.CredentialsUnavailable');
  });

  it('fails a cold start with the identity provider down as Mesh.IdentityUnavailable', async () => {
    mesh.idp.setFailure('unavailable');
    restore.push(() => mesh.idp.setFailure(null));
    const error = await new Sandbox().invokeError(task);
    expect(error.name).toBe('Mesh.IdentityUnavailable');
  });

  it('fails a wrong client secret as Mesh.Unauthorized after one forced refresh', async () => {
    // Prepare
    await putForTest(LocalParameter.BasicSecret, 'not-the-client-secret', true);
    const tokenRequests = mesh.idp.tokenRequests;
    // Act
    const error = await new Sandbox().invokeError(basicTask);
    // Assess
    expect(error.name).toBe('Mesh.Unauthorized');
    expect(errorJson(error).message).toContain('invalid_client');
    expect(mesh.idp.tokenRequests).toBe(tokenRequests + 2);
  });

  it('fails an audience the identity provider does not know as Mesh.ConfigError', async () => {
    const broken = structuredClone(mesh.catalog);
    broken.services.orders!.audience = 'https://unknown.mesh.local';
    await putForTest(LocalParameter.Catalog, JSON.stringify(broken));
    const error = await new Sandbox().invokeError(task);
    expect(error.name).toBe('Mesh.ConfigError');
    expect(errorJson(error).message).toContain('invalid_target');
  });

  it('fails an ingress nobody listens on as Mesh.Unavailable', async () => {
    const broken = structuredClone(mesh.catalog);
    broken.ingress.url = 'https://127.0.0.1:9';
    await putForTest(LocalParameter.Catalog, JSON.stringify(broken));
    const error = await new Sandbox().invokeError(task);
    expect(error.name).toBe('Mesh.Unavailable');
  });

  it('fails an authority the ingress does not serve (unknown SNI) as Mesh.Unauthorized', async () => {
    const broken = structuredClone(mesh.catalog);
    broken.services.orders!.authority = 'ghost.mesh.local';
    await putForTest(LocalParameter.Catalog, JSON.stringify(broken));
    const error = await new Sandbox().invokeError(task);
    expect(error.name).toBe('Mesh.Unauthorized');
    expect(errorJson(error).message).toMatch(/^Ingress refused the TLS connection/);
  });

  it('picks up a new certificate version within the cache age', async () => {
    // Prepare
    setEnvForTest('MESHGATE_CACHE_SECONDS', '1');
    const sandbox = await new Sandbox().coldStart();
    await sandbox.invoke(task);
    const oldSerial = mesh.ingress.requests.at(-1)!.clientCertSerial;
    const next = await mesh.pki.issueClientCertificate('meshgate-next');
    registerSecrets([next.keyPem]);
    // Key first, then certificate: in between, the pair does not match and the old one must serve.
    await putForTest(LocalParameter.ClientKey, next.keyPem, true);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const during = await sandbox.invoke(task);
    const duringSerial = mesh.ingress.requests.at(-1)!.clientCertSerial;
    await putForTest(LocalParameter.ClientCert, next.certPem);
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    // Act
    const after = await sandbox.invoke(task);
    // Assess
    expect(during.status).toBe(200);
    expect(duringSerial).toBe(oldSerial);
    expect(after.status).toBe(200);
    expect(mesh.ingress.requests.at(-1)!.clientCertSerial).toBe(next.serialNumber);
  });
});
