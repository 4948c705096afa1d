import { createSecureServer, type Http2SecureServer, type ServerHttp2Stream } from 'node:http2';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPki, type IssuedCertificate, type MeshPki } from '../../mesh/pki.ts';
import type { IdentityCredentials } from '../../../shared/credentials/identityCredentials.ts';
import { AttemptFailure } from '../../../shared/transport/attemptFailure.ts';
import { MeshPools } from '../../../shared/transport/meshPool.ts';
import { sendAttempt, type AttemptRequest } from '../../../shared/transport/sendAttempt.ts';

const AUTHORITY = 'orders.mesh.local';

/**
 * sendAttempt against a real HTTP/2 server with client-certificate verification: the bounds
 * (time, size) and what each failure is called, including a request still waiting for its
 * connection when its time runs out.
 */
describe('Function: sendAttempt', () => {
  let pki: MeshPki;
  let client: IssuedCertificate;
  let server: Http2SecureServer;
  let origin: string;
  const streamsSeen: string[] = [];
  const routes = new Map<string, (stream: ServerHttp2Stream) => void>();

  beforeAll(async () => {
    pki = await createPki([AUTHORITY]);
    client = await pki.issueClientCertificate('send-attempt-test');
    server = createSecureServer({
      cert: pki.server.certPem,
      key: pki.server.keyPem,
      ca: pki.clientCaPem,
      requestCert: true,
      rejectUnauthorized: true,
    });
    server.on('stream', (stream, headers) => {
      const path = String(headers[':path']);
      streamsSeen.push(path);
      const route = routes.get(path);
      if (route) route(stream);
      else stream.respond({ ':status': 404 }, { endStream: true });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

    routes.set('/ok', (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      stream.write('{"a":');
      setTimeout(() => stream.end('1}'), 5);
    });
    routes.set('/declared-large', (stream) => {
      stream.respond({ ':status': 200, 'content-length': '5000' });
      stream.end(Buffer.alloc(5000));
    });
    routes.set('/streamed-large', (stream) => {
      stream.respond({ ':status': 200 });
      const chunk = Buffer.alloc(1024);
      let sent = 0;
      const timer = setInterval(() => {
        if (stream.destroyed || sent >= 64) {
          clearInterval(timer);
          if (!stream.destroyed) stream.end();
          return;
        }
        stream.write(chunk);
        sent += 1;
      }, 1);
    });
    routes.set('/stalls-after-headers', (stream) => {
      stream.respond({ ':status': 200 });
      stream.write('partial');
      stream.on('error', () => undefined);
    });
    routes.set('/trailers', (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(Buffer.from([0, 0, 0, 0, 0]));
    });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  // Only the TLS material matters to a mesh pool.
  const credentials = (): IdentityCredentials => ({
    identity: 'default',
    version: 'v1',
    certPem: client.certPem,
    keyPem: client.keyPem,
    caPem: pki.meshCaPem,
    oidcSecret: { kind: 'secret', value: 'unused' },
    certNotAfter: new Date(Date.now() + 3_600_000).toISOString(),
  });

  const request = (path: string, overrides: Partial<AttemptRequest> = {}): AttemptRequest => ({
    method: 'GET',
    path,
    headers: { host: AUTHORITY },
    timeoutMs: 2_000,
    maxResponseBytes: 4096,
    ...overrides,
  });

  async function failureOf(promise: Promise<unknown>): Promise<AttemptFailure> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AttemptFailure);
    return error as AttemptFailure;
  }

  it('collects a body sent in several chunks, with status and headers', async () => {
    const pools = new MeshPools();
    const response = await sendAttempt(pools.get(origin, AUTHORITY, credentials()), request('/ok'));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body.toString('utf8'))).toEqual({ a: 1 });
    await pools.closeAll();
  });

  it('returns HTTP/2 trailers once the body has been read', async () => {
    const pools = new MeshPools();
    const response = await sendAttempt(pools.get(origin, AUTHORITY, credentials()), request('/trailers', { method: 'POST' }));
    expect(response.trailers?.['grpc-status']).toBe('0');
    expect(response.body).toHaveLength(5);
    await pools.closeAll();
  });

  it('refuses a declared length over the limit before reading the body', async () => {
    const pools = new MeshPools();
    const failure = await failureOf(sendAttempt(pools.get(origin, AUTHORITY, credentials()), request('/declared-large')));
    expect([failure.kind, failure.code, failure.status]).toEqual(['tooLarge', 'CONTENT_LENGTH_OVER_LIMIT', 200]);
    await pools.closeAll();
  });

  it('abandons a streamed body as soon as it passes the limit, and the connection stays usable', async () => {
    const pools = new MeshPools();
    const meshPool = pools.get(origin, AUTHORITY, credentials());
    const started = performance.now();
    const failure = await failureOf(sendAttempt(meshPool, request('/streamed-large')));
    expect([failure.kind, failure.code, failure.status]).toEqual(['tooLarge', 'BODY_OVER_LIMIT', 200]);
    // 64 chunks arrive over ≥ 64 ms; the limit (4 KiB) is passed after about five of them.
    expect(performance.now() - started).toBeLessThan(60);
    const after = await sendAttempt(meshPool, request('/ok'));
    expect(after.status).toBe(200);
    expect(meshPool.connectionsOpened).toBe(1);
    await pools.closeAll();
  });

  it('times out a body that stops arriving, naming the status it had', async () => {
    const pools = new MeshPools();
    const started = performance.now();
    const failure = await failureOf(sendAttempt(pools.get(origin, AUTHORITY, credentials()), request('/stalls-after-headers', { timeoutMs: 150 })));
    expect([failure.kind, failure.code, failure.status]).toEqual(['timeout', 'ATTEMPT_TIMEOUT', 200]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(performance.now() - started).toBeLessThan(1_000);
    await pools.closeAll();
  });

  describe('a connection that never completes its handshake', () => {
    let silent: Server;
    let silentOrigin: string;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      // Accepts TCP and never answers the TLS ClientHello.
      silent = createServer((socket) => {
        sockets.push(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      silentOrigin = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it('fails the waiting request at its own deadline, not at the 10 s connect timeout', async () => {
      const pools = new MeshPools();
      const started = performance.now();
      const failure = await failureOf(sendAttempt(pools.get(silentOrigin, AUTHORITY, credentials()), request('/ok', { timeoutMs: 200 })));
      const elapsed = performance.now() - started;
      expect([failure.kind, failure.code, failure.status]).toEqual(['timeout', 'ATTEMPT_TIMEOUT', undefined]);
      expect(elapsed).toBeGreaterThanOrEqual(195);
      expect(elapsed).toBeLessThan(1_000);
      // Still queued for that connection (undici cannot take it out): it goes when the connection fails.
      for (const socket of sockets) socket.destroy();
      await pools.closeAll();
    });
  });

  it('sends nothing when its time ran out while it waited for the connection', async () => {
    // A 1 ms bound: the attempt fails before the TLS handshake can finish; the request must not follow.
    const pools = new MeshPools();
    const before = streamsSeen.filter((path) => path === '/late').length;
    routes.set('/late', (stream) => stream.respond({ ':status': 204 }, { endStream: true }));
    const failure = await failureOf(sendAttempt(pools.get(origin, AUTHORITY, credentials()), request('/late', { timeoutMs: 1 })));
    expect(failure.kind).toBe('timeout');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(streamsSeen.filter((path) => path === '/late').length).toBe(before);
    await pools.closeAll();
  });
});
