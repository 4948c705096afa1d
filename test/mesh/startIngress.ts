import { createSecureServer, constants as http2Constants } from 'node:http2';
import type { Http2ServerRequest, Http2ServerResponse, ServerHttp2Session } from 'node:http2';
import { Agent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createSecureContext } from 'node:tls';
import type { SecureContext, TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JWK, JWTPayload } from 'jose';
import { certificateHash } from './certificateHash.ts';
import { createJwtVerifier } from './createJwtVerifier.ts';
import { createGrpcProxy } from './grpcProxy.ts';
import { httpToGrpcStatus } from './httpToGrpcStatus.ts';
import { normalizeSerial } from './normalizeSerial.ts';
import { trackConnections } from './trackConnections.ts';
import { upstreamHeaders } from './upstreamHeaders.ts';

export interface IngressRoute {
  /** Host name matched against SNI and `:authority`/`host`. */
  authority: string;
  /** Audience a token must carry on this route. */
  audience: string;
  /** A gRPC workload (`http://127.0.0.1:<port>`, HTTP/2 without TLS): gRPC requests for this authority go there. */
  grpcUpstreamUrl?: string;
}

export interface IngressOptions {
  serverCertPem: string;
  serverKeyPem: string;
  /** CA the ingress trusts for client certificates. */
  clientCaPem: string;
  routes: readonly IngressRoute[];
  /** Base URL of the workload every route forwards to. */
  upstreamUrl: string;
  idp: { issuer: string; jwksUri: string };
  selfSigned: { issuer: string; publicJwk: JWK };
  idleTimeoutMs: number;
  routeTimeoutMs?: number;
}

/** What the ingress decided for a request (Envoy's filter chain, in order). */
export const IngressDecision = {
  RouteNotFound: 'route_not_found',
  NoToken: 'no_token',
  InvalidToken: 'invalid_token',
  Forbidden: 'forbidden',
  Allowed: 'allowed',
} as const;
export type IngressDecision = (typeof IngressDecision)[keyof typeof IngressDecision];

export interface IngressRequest {
  authority: string;
  method: string;
  /** Raw request target, query included. */
  path: string;
  /** '2.0' or '1.1'. */
  httpVersion: string;
  /** Verified token claims; empty when no token verified. */
  claims: JWTPayload;
  /** Serial of the client certificate (normalized, see normalizeSerial). */
  clientCertSerial: string;
  /** Request headers as received (authorization included). */
  headers: IncomingHttpHeaders;
  decision: IngressDecision;
}

export interface LocalIngress {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Completed TLS handshakes (revoked ones included). */
  readonly handshakes: number;
  /** Handshakes the ingress refused (unknown or no SNI, missing or untrusted client certificate). */
  readonly failedHandshakes: number;
  requests: IngressRequest[];
  /**
   * From now on, connections presenting this certificate (resumed TLS sessions included) are closed
   * right after the handshake; open ones are closed at once, abruptly. The revocation applies
   * synchronously; the promise resolves once the open connections are closed, so an in-process client
   * that awaits it sees them closed before its next request (without awaiting, that request may still
   * go out on a dead pooled socket, as in a real race).
   */
  revokeClientCertificate(serialNumber: string): Promise<void>;
  trustSelfSignedKey(publicJwk: JWK): void;
  /** Stops trusting the self-signed key with this `kid`: tokens it signed get 401 `invalid_token`. */
  distrustSelfSignedKey(kid: string): void;
  setRouteTimeoutMs(ms: number): void;
  /**
   * The protocols offered by ALPN to new connections (default both, h2 first): `['http/1.1']` makes
   * every client fall back to HTTP/1.1, as a gateway without HTTP/2 would.
   */
  offerProtocols(protocols: readonly ('h2' | 'http/1.1')[]): void;
  stop(): Promise<void>;
}

interface Connection {
  socket: TLSSocket;
  serial: string | null;
  forwardedClientCert: string;
  active: number;
  idleTimer: NodeJS.Timeout | undefined;
  session: ServerHttp2Session | undefined;
}

type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

const connectionKey = Symbol('meshgate.ingress.connection');
const defaultRouteTimeoutMs = 60_000;
const upstreamResetBody = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
const downstreamHopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/**
 * Starts the stand-in for Istio's ingress gateway (Envoy): TLS with client certificates from the
 * client CA only, SNI routing, JWT authentication and authorization per route, and a streaming proxy
 * to the workload with Envoy's local replies (404, 401, 403, 503, 504) and idle timeout.
 *
 * @example
 * const ingress = await startIngress({ ...pkiParts, routes, upstreamUrl: orders.url, idp, selfSigned, idleTimeoutMs: 60_000 });
 * await ingress.revokeClientCertificate(serialNumber);
 */
export async function startIngress(options: IngressOptions): Promise<LocalIngress> {
  const audiences = new Map(options.routes.map((route) => [route.authority, route.audience]));
  const contexts = new Map<string, SecureContext>();
  for (const { authority } of options.routes) {
    // The SNI context also carries the client CA: client verification uses the selected context.
    contexts.set(
      authority,
      createSecureContext({
        cert: options.serverCertPem,
        key: options.serverKeyPem,
        ca: options.clientCaPem,
        minVersion: 'TLSv1.2',
      }),
    );
  }
  const verifier = createJwtVerifier({
    idp: options.idp,
    selfSigned: { issuer: options.selfSigned.issuer, keys: [options.selfSigned.publicJwk] },
  });
  const upstream = new URL(options.upstreamUrl);
  const agent = new Agent({ keepAlive: true });
  const grpcProxy = createGrpcProxy();
  const grpcUpstreams = new Map(options.routes.flatMap((route) => (route.grpcUpstreamUrl ? [[route.authority, route.grpcUpstreamUrl] as const] : [])));
  const connections = new Set<Connection>();
  const revoked = new Set<string>();
  const requests: IngressRequest[] = [];
  let handshakes = 0;
  let failedHandshakes = 0;
  let routeTimeoutMs = options.routeTimeoutMs ?? defaultRouteTimeoutMs;

  // No default certificate: a handshake without SNI, like one with an unknown name, finds none and fails.
  const server = createSecureServer({
    allowHTTP1: true,
    requestCert: true,
    rejectUnauthorized: true,
    ca: options.clientCaPem,
    minVersion: 'TLSv1.2',
    SNICallback(servername, callback) {
      const context = contexts.get(servername.toLowerCase());
      if (context) callback(null, context);
      else callback(new Error('unknown SNI'));
    },
  });
  // HTTP/1.1 idle connections are closed by our own idle timer, as for HTTP/2; Node's keep-alive
  // timeout would also add a `Keep-Alive: timeout=5` hint Envoy never sends, hiding stale sockets.
  (server as unknown as { keepAliveTimeout: number }).keepAliveTimeout = 0;
  const tracked = trackConnections(server);

  const armIdleTimer = (connection: Connection) => {
    clearTimeout(connection.idleTimer);
    connection.idleTimer = undefined;
    if (connection.active > 0 || connection.socket.destroyed) return;
    connection.idleTimer = setTimeout(() => closeIdle(connection), options.idleTimeoutMs);
    connection.idleTimer.unref();
  };

  // Runs before http2's own listener, so the state exists when the session and requests appear.
  server.prependListener('secureConnection', (socket: TLSSocket) => {
    handshakes += 1;
    const peer = socket.getPeerCertificate();
    const der = peer?.raw;
    const connection: Connection = {
      socket,
      serial: peer?.serialNumber ? normalizeSerial(peer.serialNumber) : null,
      forwardedClientCert: der ? forwardedClientCert(der) : '',
      active: 0,
      idleTimer: undefined,
      session: undefined,
    };
    (socket as TLSSocket & { [connectionKey]?: Connection })[connectionKey] = connection;
    connections.add(connection);
    socket.once('close', () => {
      clearTimeout(connection.idleTimer);
      connections.delete(connection);
    });
    armIdleTimer(connection);
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    const connection = connectionOf(socket);
    if (connection?.serial && revoked.has(connection.serial)) destroyConnection(connection);
  });
  server.on('session', (session: ServerHttp2Session) => {
    const connection = connectionOf(session.socket as TLSSocket);
    if (connection) connection.session = session;
    session.on('error', () => {});
  });
  server.on('tlsClientError', () => {
    failedHandshakes += 1;
  });
  server.on('sessionError', () => {});

  const respondLocally = (res: AnyResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    if (res.headersSent) return;
    if (isGrpc(res.req)) {
      // Envoy answers a gRPC request's local reply in gRPC: HTTP 200, trailers-only, status mapped from the HTTP one.
      (res as ServerResponse).writeHead(200, {
        'content-type': 'application/grpc',
        'grpc-status': String(httpToGrpcStatus(status)),
        'grpc-message': encodeURIComponent(body),
        server: 'istio-envoy',
      });
      res.end();
      return;
    }
    const contentType: Record<string, string> = body ? { 'content-type': 'text/plain' } : {};
    (res as ServerResponse).writeHead(status, {
      ...contentType,
      ...headers,
      'content-length': String(Buffer.byteLength(body)),
      server: 'istio-envoy',
    });
    res.end(body);
  };

  const handleRequest = async (req: AnyRequest, res: AnyResponse) => {
    req.on('error', () => {});
    res.on('error', () => {});
    const socket = req.socket as TLSSocket;
    const connection = connectionOf(socket);
    if (connection) {
      connection.active += 1;
      armIdleTimer(connection);
      res.once('close', () => {
        connection.active -= 1;
        armIdleTimer(connection);
      });
    }
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const authorityHeader = String(req.headers[':authority'] ?? req.headers.host ?? '');
    const authority = authorityHeader.replace(/:\d+$/, '').toLowerCase();
    const sni = typeof socket.servername === 'string' ? socket.servername.toLowerCase() : '';
    const record = (decision: IngressDecision, claims: JWTPayload = {}) =>
      requests.push({
        authority,
        method,
        path,
        httpVersion: req.httpVersion,
        claims,
        clientCertSerial: connection?.serial ?? '',
        headers: req.headers,
        decision,
      });

    const audience = audiences.get(authority);
    if (authority !== sni || audience === undefined) {
      record(IngressDecision.RouteNotFound);
      respondLocally(res, 404, '');
      return;
    }
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!bearer) {
      record(IngressDecision.NoToken);
      respondLocally(res, 403, 'RBAC: access denied');
      return;
    }
    const claims = await verifier.verify(bearer, audience);
    if (!claims) {
      record(IngressDecision.InvalidToken);
      respondLocally(res, 401, 'Jwt verification fails', {
        'www-authenticate': `Bearer realm="https://${authority}${path}", error="invalid_token"`,
      });
      return;
    }
    if (isAdminPath(path)) {
      record(IngressDecision.Forbidden, claims);
      respondLocally(res, 403, 'RBAC: access denied');
      return;
    }
    record(IngressDecision.Allowed, claims);
    const grpcUpstreamUrl = grpcUpstreams.get(authority);
    if (grpcUpstreamUrl && isGrpc(req) && 'stream' in res) {
      grpcProxy.forward({
        req: req as Http2ServerRequest,
        res,
        upstreamUrl: grpcUpstreamUrl,
        authority,
        headers: upstreamHeaders(req.headers, {
          authority,
          forwardedClientCert: connection?.forwardedClientCert ?? '',
          remoteAddress: req.socket.remoteAddress ?? '127.0.0.1',
        }),
        routeTimeoutMs,
        respondLocally: (status, body) => respondLocally(res, status, body),
      });
      return;
    }
    proxy(req, res, authority, connection);
  };

  const proxy = (req: AnyRequest, res: AnyResponse, authority: string, connection: Connection | undefined) => {
    const started = Date.now();
    // waiting: no upstream headers yet; streaming: relaying the body; done: answered or reset.
    let state: 'waiting' | 'streaming' | 'done' = 'waiting';
    let upstreamComplete = false;
    const resetDownstream = () => {
      if ('stream' in res) res.stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
      else req.socket.destroy();
    };
    // Before headers Envoy answers locally; after them it can only reset the stream.
    const fail = (status: number, body: string) => {
      const previous = state;
      state = 'done';
      clearTimeout(timer);
      upstreamRequest.destroy();
      if (previous === 'waiting') respondLocally(res, status, body);
      else if (previous === 'streaming') resetDownstream();
    };
    const upstreamRequest = httpRequest({
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      agent,
      headers: upstreamHeaders(req.headers, {
        authority,
        forwardedClientCert: connection?.forwardedClientCert ?? '',
        remoteAddress: req.socket.remoteAddress ?? '127.0.0.1',
      }),
    });
    const timer = setTimeout(() => fail(504, 'upstream request timeout'), routeTimeoutMs);
    upstreamRequest.on('error', () => {
      if (state !== 'done') fail(503, upstreamResetBody);
    });
    upstreamRequest.on('response', (upstreamResponse) => {
      if (state !== 'waiting') {
        upstreamResponse.destroy();
        return;
      }
      state = 'streaming';
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(upstreamResponse.headers)) {
        if (value !== undefined && !downstreamHopByHop.has(name)) headers[name] = value;
      }
      headers.server = 'istio-envoy';
      headers['x-envoy-upstream-service-time'] = String(Date.now() - started);
      (res as ServerResponse).writeHead(upstreamResponse.statusCode ?? 502, headers);
      upstreamResponse.pipe(res as NodeJS.WritableStream);
      upstreamResponse.once('end', () => {
        upstreamComplete = true;
        state = 'done';
        clearTimeout(timer);
      });
      upstreamResponse.once('close', () => {
        if (state === 'streaming' && !upstreamResponse.complete) {
          upstreamResponse.unpipe(res as NodeJS.WritableStream);
          fail(502, '');
        }
      });
    });
    // The client went away first: stop the upstream exchange too (a finished one is left to the pool).
    res.once('close', () => {
      if (state === 'done' || upstreamComplete) return;
      state = 'done';
      clearTimeout(timer);
      upstreamRequest.destroy();
    });
    req.pipe(upstreamRequest);
  };

  server.on('request', (req: AnyRequest, res: AnyResponse) => {
    handleRequest(req, res).catch(() => respondLocally(res, 500, 'internal error'));
  });

  await Promise.all([
    new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
    // The IdP may be broken on purpose later; Envoy would have its JWKS cached by then too.
    verifier.warm().catch(() => {}),
  ]);
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    port,
    get handshakes() {
      return handshakes;
    },
    get failedHandshakes() {
      return failedHandshakes;
    },
    requests,
    async revokeClientCertificate(serialNumber) {
      const serial = normalizeSerial(serialNumber);
      revoked.add(serial);
      const affected = [...connections].filter((connection) => connection.serial === serial);
      const closed = affected.map((connection) => new Promise((resolve) => connection.socket.once('close', resolve)));
      for (const connection of affected) destroyConnection(connection);
      await Promise.all(closed);
      // One more turn of the event loop lets an in-process client read the close before its next request.
      await sleep(5);
    },
    trustSelfSignedKey: (publicJwk) => verifier.trustSelfSignedKey(publicJwk),
    distrustSelfSignedKey: (kid) => verifier.distrustSelfSignedKey(kid),
    setRouteTimeoutMs(ms) {
      routeTimeoutMs = ms;
    },
    offerProtocols(protocols) {
      // http2 fixes ALPNProtocols at creation; tls reads the server's field for each new connection.
      (server as unknown as { ALPNProtocols: Buffer }).ALPNProtocols = Buffer.concat(
        protocols.map((protocol) => Buffer.concat([Buffer.from([protocol.length]), Buffer.from(protocol)])),
      );
    },
    async stop() {
      grpcProxy.close();
      for (const connection of connections) destroyConnection(connection);
      await tracked.close();
      agent.destroy();
    },
  };
}

function isGrpc(req: AnyRequest | undefined): boolean {
  return String(req?.headers['content-type'] ?? '').startsWith('application/grpc');
}

function connectionOf(socket: TLSSocket): Connection | undefined {
  return (socket as TLSSocket & { [connectionKey]?: Connection })[connectionKey];
}

// Abrupt, without an HTTP/2 GOAWAY: a revoked certificate must look to the client like a refused one
// (under TLS 1.3 the server's refusal arrives after the client's handshake has completed).
function destroyConnection(connection: Connection) {
  clearTimeout(connection.idleTimer);
  connection.socket.destroy();
}

// Envoy's idle_timeout: HTTP/2 gets a GOAWAY, HTTP/1.1 a close; then the socket goes.
function closeIdle(connection: Connection) {
  if (connection.session) connection.session.close();
  else connection.socket.end();
  setTimeout(() => connection.socket.destroy(), 1000).unref();
}

// Istio authorizes on the normalized path (dot segments resolved, %2e included), not the raw one.
function isAdminPath(target: string): boolean {
  const pathname = new URL(target, 'https://ingress.invalid').pathname;
  return pathname === '/v1/admin' || pathname.startsWith('/v1/admin/');
}

// Envoy's XFCC elements for a client certificate: Hash (SHA-256 of the DER) and Subject (RFC 2253 order).
function forwardedClientCert(der: Buffer): string {
  const subject = new X509Certificate(der).subject.split('\n').reverse().join(',').replace(/"/g, '\\"');
  return `Hash=${certificateHash(der)};Subject="${subject}"`;
}
