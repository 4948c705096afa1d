import { connect as tlsConnect } from 'node:tls';
import { connect as http2Connect } from 'node:http2';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { SignJWT, importJWK } from 'jose';
import type { JWK } from 'jose';
import { startLocalMesh } from './startLocalMesh.ts';
import type { LocalMesh } from './startLocalMesh.ts';
import { LocalParameter } from './localParameter.ts';
import { selfSignedIssuer } from './localCatalog.ts';
import { createPki } from './pki.ts';

const orders = 'orders.mesh.local';
const ordersAudience = 'https://orders.mesh.local';
const envoyResetBody = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';

let mesh: LocalMesh;
const agents: Agent[] = [];

beforeAll(async () => {
  mesh = await startLocalMesh();
});

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.destroy()));
  await mesh?.stop();
});

/** An undici mTLS agent the way the invoker builds one (SNI = the service authority). */
function meshAgent(options: { servername?: string; cert?: string; key?: string; h2?: boolean } = {}): Agent {
  const agent = new Agent({
    allowH2: options.h2 ?? true,
    connect: {
      ca: mesh.pki.meshCaPem,
      cert: options.cert ?? mesh.clientCertificate.certPem,
      key: options.key ?? mesh.clientCertificate.keyPem,
      servername: options.servername ?? orders,
    },
  });
  agents.push(agent);
  return agent;
}

/** A plain client_credentials request with client_secret_basic and an RFC 8707 resource. */
async function basicToken(resource = ordersAudience): Promise<string> {
  const credentials = Buffer.from(`meshgate-basic:${mesh.idp.clientSecrets.basic}`).toString('base64');
  const response = await fetch(mesh.idp.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${credentials}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'orders:write' }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

async function call(
  agent: Agent,
  path: string,
  init: { method?: string; token?: string; headers?: Record<string, string>; body?: string; authority?: string } = {},
) {
  const response = await request(`${mesh.ingress.url}${path}`, {
    dispatcher: agent,
    method: (init.method ?? 'GET') as 'GET',
    headers: {
      host: init.authority ?? orders,
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.body,
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

/** Fails fast instead of at the test timeout when something never happens. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms).unref()),
  ]);
}

describe('Function: startLocalMesh', () => {
  describe('SSM (moto_server)', () => {
    it('holds the catalog and every credential, readable through the AWS SDK', async () => {
      // Act
      const result = await mesh.ssm.client.send(
        new GetParametersCommand({ Names: Object.values(LocalParameter), WithDecryption: true }),
      );

      // Assess
      const byName = new Map(result.Parameters?.map((parameter) => [parameter.Name, parameter]));
      expect(result.InvalidParameters ?? []).toEqual([]);
      expect(JSON.parse(byName.get(mesh.catalogParameter)?.Value ?? '')).toEqual(mesh.catalog);
      expect(byName.get(LocalParameter.IngressCa)).toMatchObject({ Type: 'String', Value: mesh.pki.meshCaPem });
      expect(byName.get(LocalParameter.ClientCert)?.Type).toBe('String');
      expect(byName.get(LocalParameter.ClientKey)).toMatchObject({
        Type: 'SecureString',
        Value: mesh.clientCertificate.keyPem,
      });
      for (const name of [LocalParameter.JwtClientKey, LocalParameter.SigningKey]) {
        const jwk = JSON.parse(byName.get(name)?.Value ?? '{}') as JWK;
        expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
        expect(jwk.kid).toBeTruthy();
        expect(mesh.secrets()).toContain(jwk.d);
      }
      expect(mesh.secrets()).toContain(mesh.clientCertificate.keyPem.trim());
      expect(mesh.env).toMatchObject({ AWS_ENDPOINT_URL_SSM: mesh.ssm.endpoint, MESHGATE_CATALOG_PARAMETER: mesh.catalogParameter });
    });

    it('returns increasing versions on put and writes catalog variants', async () => {
      // Act
      const first = await mesh.ssm.put('/meshgate/local/test/rotating', 'one', { secure: true });
      const second = await mesh.ssm.put('/meshgate/local/test/rotating', 'two', { secure: true });
      const variant = { ...mesh.catalog, services: {} };
      const catalogVersion = await mesh.putCatalog(variant);

      // Assess
      expect(second).toBe(first + 1);
      expect(catalogVersion).toBeGreaterThan(1);
      expect(mesh.catalog).toBe(variant);
    });
  });

  describe('ingress (Istio gateway stand-in)', () => {
    it('routes an mTLS request with an IdP token to orders over HTTP/2 and HTTP/1.1', async () => {
      // Prepare
      const token = await basicToken();

      // Act
      const overH2 = await call(meshAgent(), '/v1/orders/A-17', { token, headers: { 'x-request-id': 'req-1' } });
      const overH1 = await call(meshAgent({ h2: false }), '/v1/orders/A-17', { token });

      // Assess
      expect(overH2.status).toBe(200);
      expect(JSON.parse(overH2.text)).toMatchObject({ id: 'A-17', status: 'open' });
      expect(overH1.status).toBe(200);
      const [h2Request, h1Request] = mesh.ingress.requests.slice(-2);
      expect(h2Request).toMatchObject({ authority: orders, httpVersion: '2.0', decision: 'allowed' });
      expect(h1Request).toMatchObject({ httpVersion: '1.1', decision: 'allowed' });
      expect(h2Request?.claims).toMatchObject({ aud: ordersAudience, client_id: 'meshgate-basic', iss: mesh.idp.issuer });
      expect(h2Request?.clientCertSerial).toBe(mesh.clientCertificate.serialNumber);
      const received = mesh.orders.requests.at(-2);
      expect(received?.headers['x-request-id']).toBe('req-1');
      expect(received?.headers.authorization).toBeUndefined();
      expect(received?.headers.host).toBe(orders);
    });

    it('sets x-forwarded-client-cert itself and never passes the client one', async () => {
      // Prepare
      const token = await basicToken();

      // Act
      const echo = await call(meshAgent(), '/v1/orders/echo/xfcc?a=1&b=2', {
        method: 'POST',
        token,
        headers: { 'x-forwarded-client-cert': 'Hash=forged', 'idempotency-key': 'k-xfcc', traceparent: '00-abc-def-01' },
        body: '{"a":1}',
      });

      // Assess
      const seen = JSON.parse(echo.text) as { method: string; path: string; headers: Record<string, string>; body: string };
      expect(seen).toMatchObject({ method: 'POST', path: '/v1/orders/echo/xfcc?a=1&b=2', body: '{"a":1}' });
      expect(seen.headers['x-forwarded-client-cert']).toMatch(/^Hash=[0-9a-f]{64};Subject="O=meshgate,CN=meshgate-invoker"$/);
      expect(seen.headers['idempotency-key']).toBe('k-xfcc');
      expect(seen.headers.traceparent).toBe('00-abc-def-01');
    });

    it('refuses a connection without a client certificate', async () => {
      // Prepare
      const failed = mesh.ingress.failedHandshakes;
      const agent = new Agent({ connect: { ca: mesh.pki.meshCaPem, servername: orders } });
      agents.push(agent);

      // Act
      const attempt = call(agent, '/v1/orders/A-17', { token: await basicToken() });

      // Assess
      await expect(attempt).rejects.toThrow();
      expect(mesh.ingress.failedHandshakes).toBeGreaterThan(failed);
    });

    it('refuses a client certificate from another CA', async () => {
      // Prepare: a certificate from another PKI's client CA is untrusted here.
      const foreign = await (await createPki([orders])).issueClientCertificate();

      // Act
      const attempt = call(meshAgent({ cert: foreign.certPem, key: foreign.keyPem }), '/v1/orders/A-17');

      // Assess
      await expect(attempt).rejects.toThrow();
    });

    it('fails the handshake for an unknown SNI or none', async () => {
      // Act
      const unknown = call(meshAgent({ servername: 'billing.example.com' }), '/v1/orders/A-17', {
        authority: 'billing.example.com',
      });
      const none = new Promise<void>((resolve, reject) => {
        // Node sends no SNI when connecting to an IP address without a servername.
        const socket = tlsConnect({
          host: '127.0.0.1',
          port: mesh.ingress.port,
          ca: mesh.pki.meshCaPem,
          cert: mesh.clientCertificate.certPem,
          key: mesh.clientCertificate.keyPem,
          checkServerIdentity: () => undefined,
        });
        socket.once('secureConnect', () => {
          socket.destroy();
          reject(new Error('handshake without SNI succeeded'));
        });
        socket.once('error', () => resolve());
      });

      // Assess
      await expect(unknown).rejects.toThrow();
      await expect(none).resolves.toBeUndefined();
    });

    it('answers 404 with an empty body when the authority does not match the SNI', async () => {
      // Prepare: undici derives SNI from the host header, so a raw HTTP/2 session sets them apart.
      const token = await basicToken();
      const session = http2Connect(mesh.ingress.url, {
        ca: mesh.pki.meshCaPem,
        cert: mesh.clientCertificate.certPem,
        key: mesh.clientCertificate.keyPem,
        servername: orders,
      });

      // Act
      const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const stream = session.request({
          ':path': '/v1/orders/A-17',
          ':authority': 'orders-basic.mesh.local',
          authorization: `Bearer ${token}`,
        });
        let text = '';
        let status = 0;
        stream.on('response', (headers) => (status = Number(headers[':status'])));
        stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
        stream.on('end', () => resolve({ status, text }));
        stream.on('error', reject);
      });
      session.close();

      // Assess
      expect(response).toEqual({ status: 404, text: '' });
      expect(mesh.ingress.requests.at(-1)?.decision).toBe('route_not_found');
    });

    it('answers like Envoy: 403 without a token, 401 for a bad one, 403 on /v1/admin', async () => {
      // Prepare
      const agent = meshAgent();
      const token = await basicToken();
      const otherAudience = await basicToken('https://orders-basic.mesh.local');

      // Act
      const missing = await call(agent, '/v1/orders/A-17');
      const garbage = await call(agent, '/v1/orders/A-17?x=1', { token: 'not-a-jwt' });
      const wrongAudience = await call(agent, '/v1/orders/A-17', { token: otherAudience });
      const admin = await call(agent, '/v1/admin/users', { token });
      const adminDotted = await call(agent, '/v1/orders/%2e%2e/admin/users', { token });

      // Assess
      expect(missing).toMatchObject({ status: 403, text: 'RBAC: access denied' });
      expect(garbage).toMatchObject({ status: 401, text: 'Jwt verification fails' });
      expect(garbage.headers['www-authenticate']).toBe(
        'Bearer realm="https://orders.mesh.local/v1/orders/A-17?x=1", error="invalid_token"',
      );
      expect(wrongAudience.status).toBe(401);
      expect(admin).toMatchObject({ status: 403, text: 'RBAC: access denied' });
      expect(adminDotted.status).toBe(403);
    });

    it('trusts the self-signed issuer key from SSM and rejects expired or foreign-signed tokens', async () => {
      // Prepare
      const result = await mesh.ssm.client.send(
        new GetParametersCommand({ Names: [LocalParameter.SigningKey], WithDecryption: true }),
      );
      const jwk = JSON.parse(result.Parameters?.[0]?.Value ?? '{}') as JWK & { kid: string };
      const sign = async (key: JWK & { kid: string }, expiresAt: number) =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'ES256', kid: key.kid })
          .setIssuer(selfSignedIssuer)
          .setSubject('meshgate-invoker')
          .setAudience('https://orders-selfsigned.mesh.local')
          .setJti(randomUUID())
          .setIssuedAt()
          .setExpirationTime(expiresAt)
          .sign(await importJWK(key, 'ES256'));
      const now = Math.floor(Date.now() / 1000);
      const agent = meshAgent({ servername: 'orders-selfsigned.mesh.local' });
      const authority = 'orders-selfsigned.mesh.local';
      const foreign = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
      const foreignJwk = { ...(await crypto.subtle.exportKey('jwk', foreign.privateKey)), kid: jwk.kid } as JWK & { kid: string };

      // Act
      const valid = await call(agent, '/v1/orders/A-17', { authority, token: await sign(jwk, now + 120) });
      const expired = await call(agent, '/v1/orders/A-17', { authority, token: await sign(jwk, now - 1) });
      const forged = await call(agent, '/v1/orders/A-17', { authority, token: await sign(foreignJwk, now + 120) });

      // Assess
      expect(valid.status).toBe(200);
      expect(mesh.ingress.requests.findLast((entry) => entry.decision === 'allowed')?.claims.iss).toBe(selfSignedIssuer);
      expect(expired.status).toBe(401);
      expect(forged.status).toBe(401);
    });

    it('closes open connections with a revoked certificate at once', async () => {
      // Prepare
      const token = await basicToken();
      const issued = await mesh.pki.issueClientCertificate('revoked-while-connected');
      const agent = meshAgent({ cert: issued.certPem, key: issued.keyPem });
      const before = await call(agent, '/v1/orders/A-17', { token });

      // Act: not awaited, so the next request races the close, as a pooled socket would.
      void mesh.ingress.revokeClientCertificate(issued.serialNumber);
      const after = call(agent, '/v1/orders/A-17', { token });

      // Assess
      expect(before.status).toBe(200);
      expect(mesh.ingress.requests.at(-1)?.clientCertSerial).toBe(issued.serialNumber);
      await expect(after).rejects.toThrow();
      expect(mesh.secrets()).toContain(issued.keyPem.trim());
    });

    it('refuses new connections with a revoked certificate, resumed TLS sessions included', async () => {
      // Prepare
      const token = await basicToken();
      const issued = await mesh.pki.issueClientCertificate('to-be-revoked');
      const agent = meshAgent({ cert: issued.certPem, key: issued.keyPem });
      expect((await call(agent, '/v1/orders/A-17', { token })).status).toBe(200);

      // Act
      await mesh.ingress.revokeClientCertificate(issued.serialNumber);
      const handshakes = mesh.ingress.handshakes;
      const sameAgent = call(agent, '/v1/orders/A-17', { token });
      const newAgent = call(meshAgent({ cert: issued.certPem, key: issued.keyPem }), '/v1/orders/A-17', { token });

      // Assess
      await expect(sameAgent).rejects.toThrow();
      await expect(newAgent).rejects.toThrow();
      expect(mesh.ingress.handshakes).toBe(handshakes + 2);
      expect((await call(meshAgent(), '/v1/orders/A-17', { token })).status).toBe(200);
    });
  });

  describe('orders service faults (through the ingress)', () => {
    it('shows status faults once, then answers normally', async () => {
      // Prepare
      const agent = meshAgent();
      const token = await basicToken();
      mesh.orders.injectFault({ status: 429, headers: { 'retry-after': '7' } }, { pathPrefix: '/v1/orders/A-1' });

      // Act
      const faulted = await call(agent, '/v1/orders/A-17', { token });
      const next = await call(agent, '/v1/orders/A-17', { token });

      // Assess
      expect(faulted.status).toBe(429);
      expect(faulted.headers['retry-after']).toBe('7');
      expect(next.status).toBe(200);
    });

    it('turns an upstream reset before headers into Envoy 503', async () => {
      // Prepare
      mesh.orders.injectFault({ resetBeforeHeaders: true });

      // Act
      const response = await call(meshAgent(), '/v1/orders/A-17', { token: await basicToken() });

      // Assess
      expect(response).toMatchObject({ status: 503, text: envoyResetBody });
      expect(response.headers['content-type']).toBe('text/plain');
    });

    it('resets the downstream stream on an upstream reset mid-body, over HTTP/2 and HTTP/1.1', async () => {
      // Prepare
      const token = await basicToken();
      mesh.orders.injectFault({ resetMidBody: true }, { times: 2 });

      // Act
      const overH2 = call(meshAgent(), '/v1/orders/A-17', { token });
      const overH1 = call(meshAgent({ h2: false }), '/v1/orders/A-17', { token });

      // Assess
      await expect(overH2).rejects.toThrow();
      await expect(overH1).rejects.toThrow();
    });

    it('answers 504 when upstream is slower than the route timeout', async () => {
      // Prepare
      mesh.ingress.setRouteTimeoutMs(200);
      mesh.orders.injectFault({ delayMs: 1_000 });

      // Act
      const response = await call(meshAgent(), '/v1/orders/A-17', { token: await basicToken() });
      mesh.ingress.setRouteTimeoutMs(60_000);

      // Assess
      expect(response).toMatchObject({ status: 504, text: 'upstream request timeout' });
    });

    it('streams trickled, large and raw bodies through', async () => {
      // Prepare
      const agent = meshAgent();
      const token = await basicToken();
      mesh.orders.injectFault({ trickle: { chunks: 3, intervalMs: 50 } });
      mesh.orders.injectFault({ rawBody: '{"id": ', contentType: 'application/json' });

      // Act
      const trickled = await call(agent, '/v1/orders/A-17', { token });
      const raw = await call(agent, '/v1/orders/A-17', { token });
      const big = await call(agent, '/v1/orders/big?bytes=300000', { token });

      // Assess
      expect(JSON.parse(trickled.text)).toEqual({ trickle: ['chunk-0', 'chunk-1', 'chunk-2'] });
      expect(raw.text).toBe('{"id": ');
      expect(big.text.length).toBe(300_000);
    });

    it('de-duplicates by idempotency-key: one effect, the first answer replayed', async () => {
      // Prepare
      const agent = meshAgent();
      const token = await basicToken();
      const effects = mesh.orders.effects;
      const post = { method: 'POST', token, headers: { 'idempotency-key': randomUUID(), 'content-type': 'application/json' }, body: '{"sku":"B-2"}' };

      // Act
      const first = await call(agent, '/v1/orders', post);
      const second = await call(agent, '/v1/orders', post);
      const other = await call(agent, '/v1/orders', { ...post, headers: { 'idempotency-key': randomUUID() } });

      // Assess
      expect(first.status).toBe(201);
      expect(first.headers.location).toMatch(/^\/v1\/orders\/ord-\d+$/);
      expect(first.headers.etag).toBe('"v1"');
      expect(second.text).toBe(first.text);
      expect(other.text).not.toBe(first.text);
      expect(mesh.orders.effects).toBe(effects + 2);
    });
  });

  describe('identity provider', () => {
    it('issues tokens to the private_key_jwt and client_secret_post clients from their SSM credentials', async () => {
      // Prepare
      const result = await mesh.ssm.client.send(
        new GetParametersCommand({ Names: [LocalParameter.JwtClientKey, LocalParameter.PostSecret], WithDecryption: true }),
      );
      const byName = new Map(result.Parameters?.map((parameter) => [parameter.Name, parameter.Value ?? '']));
      const jwk = JSON.parse(byName.get(LocalParameter.JwtClientKey) ?? '{}') as JWK & { kid: string };
      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
        .setIssuer('meshgate-jwt')
        .setSubject('meshgate-jwt')
        .setAudience(mesh.idp.issuer)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(await importJWK(jwk, 'ES256'));
      const form = (fields: Record<string, string>) =>
        fetch(mesh.idp.tokenEndpoint, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'client_credentials', resource: ordersAudience, ...fields }),
        });

      // Act
      const viaJwt = await form({
        client_id: 'meshgate-jwt',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      });
      const viaPost = await form({ client_id: 'meshgate-post', client_secret: byName.get(LocalParameter.PostSecret) ?? '' });
      const unknownResource = await form({
        client_id: 'meshgate-post',
        client_secret: byName.get(LocalParameter.PostSecret) ?? '',
        resource: 'https://unknown.mesh.local',
      });

      // Assess
      expect(viaJwt.status).toBe(200);
      expect(viaPost.status).toBe(200);
      expect(((await viaPost.json()) as { expires_in: number }).expires_in).toBe(300);
      expect(unknownResource.status).toBe(400);
      expect(((await unknownResource.json()) as { error: string }).error).toBe('invalid_target');
    });

    it('counts token requests and fails with 503 on demand', async () => {
      // Prepare
      const count = mesh.idp.tokenRequests;

      // Act
      mesh.idp.setFailure('unavailable');
      const failing = await fetch(mesh.idp.tokenEndpoint, { method: 'POST' });
      const discovery = await fetch(`${mesh.idp.issuer}/.well-known/openid-configuration`);
      mesh.idp.setFailure(null);

      // Assess
      expect(failing.status).toBe(503);
      expect(discovery.status).toBe(503);
      expect(mesh.idp.tokenRequests).toBe(count + 1);
      expect(await basicToken()).toMatch(/^eyJ/);
    });
  });
});

describe('Function: startLocalMesh (options and lifecycle)', () => {
  it('closes idle downstream connections, honours the token TTL, and stops idempotently', async () => {
    // Prepare
    const short = await startLocalMesh({ ingressIdleTimeoutMs: 300, accessTokenTtlSeconds: 42 });
    const tls = {
      host: '127.0.0.1',
      port: short.ingress.port,
      ca: short.pki.meshCaPem,
      cert: short.clientCertificate.certPem,
      key: short.clientCertificate.keyPem,
      servername: orders,
    };

    try {
      // Act
      const started = Date.now();
      const h1Closed = new Promise<number>((resolve, reject) => {
        const socket = tlsConnect({ ...tls, ALPNProtocols: ['http/1.1'] });
        socket.once('error', reject);
        socket.once('close', () => resolve(Date.now() - started));
        socket.resume();
      });
      const h2GoneAway = new Promise<number>((resolve) => {
        const session = http2Connect(short.ingress.url, { ...tls });
        session.on('error', () => {});
        session.once('goaway', () => resolve(Date.now() - started));
      });
      const token = await fetch(short.idp.tokenEndpoint, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          resource: ordersAudience,
          client_id: 'meshgate-post',
          client_secret: short.idp.clientSecrets.post,
        }),
      });

      const { access_token: accessToken, expires_in: expiresIn } = (await token.json()) as {
        access_token: string;
        expires_in: number;
      };
      // A request slower than the idle timeout keeps its connection: only idle ones are closed.
      short.orders.injectFault({ delayMs: 600 });
      const agent = new Agent({ allowH2: false, connect: { ...tls, host: undefined, port: undefined } });
      agents.push(agent);
      const slow = await request(`${short.ingress.url}/v1/orders/A-17`, {
        dispatcher: agent,
        headers: { host: orders, authorization: `Bearer ${accessToken}` },
      });

      // Assess
      expect(expiresIn).toBe(42);
      expect(slow.statusCode).toBe(200);
      await slow.body.text();
      expect(await within(h1Closed, 5_000)).toBeGreaterThanOrEqual(250);
      expect(await within(h2GoneAway, 5_000)).toBeGreaterThanOrEqual(250);
    } finally {
      await short.stop();
      await short.stop();
    }
    await expect(fetch(short.ssm.endpoint, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
  });
});
