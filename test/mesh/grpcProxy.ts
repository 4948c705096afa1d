import { connect, constants as http2Constants } from 'node:http2';
import type { ClientHttp2Session, Http2ServerRequest, Http2ServerResponse, IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';

export interface GrpcForward {
  req: Http2ServerRequest;
  res: Http2ServerResponse;
  /** `http://127.0.0.1:<port>` of the gRPC workload (HTTP/2 without TLS). */
  upstreamUrl: string;
  authority: string;
  /** Request headers for the workload, as `upstreamHeaders` builds them. */
  headers: OutgoingHttpHeaders;
  routeTimeoutMs: number;
  /** Envoy's local reply (the ingress turns it into a trailers-only gRPC answer). */
  respondLocally(status: number, body: string): void;
}

export interface GrpcProxy {
  forward(call: GrpcForward): void;
  close(): void;
}

const upstreamResetBody = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
const connectionHeaders = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

/**
 * The ingress's gRPC route: an HTTP/2 stream to the workload per call (one cached h2c session per
 * workload), with headers, messages and trailers relayed as Envoy's router does. Before the
 * workload's headers a failure is a local reply (503 reset, 504 route timeout); after them the
 * downstream stream can only be reset.
 *
 * @example
 * const grpcProxy = createGrpcProxy();
 * grpcProxy.forward({ req, res, upstreamUrl, authority, headers, routeTimeoutMs, respondLocally });
 */
export function createGrpcProxy(): GrpcProxy {
  const sessions = new Map<string, ClientHttp2Session>();
  const session = (url: string): ClientHttp2Session => {
    const existing = sessions.get(url);
    if (existing && !existing.closed && !existing.destroyed) return existing;
    const created = connect(url);
    created.on('error', () => {});
    created.once('close', () => {
      if (sessions.get(url) === created) sessions.delete(url);
    });
    sessions.set(url, created);
    return created;
  };

  return {
    forward({ req, res, upstreamUrl, authority, headers, routeTimeoutMs, respondLocally }) {
      const started = Date.now();
      let state: 'waiting' | 'streaming' | 'done' = 'waiting';
      const outgoing: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(headers)) if (!connectionHeaders.has(name) && value !== undefined) outgoing[name] = value;
      const stream = session(upstreamUrl).request({
        ...outgoing,
        ':method': 'POST',
        ':path': req.url,
        ':authority': authority,
        ':scheme': 'http',
        te: 'trailers',
      });
      stream.on('error', () => {});
      let trailers: IncomingHttpHeaders | undefined;
      const fail = (status: number, body: string) => {
        const previous = state;
        state = 'done';
        clearTimeout(timer);
        stream.close(http2Constants.NGHTTP2_CANCEL);
        if (previous === 'waiting') respondLocally(status, body);
        else if (previous === 'streaming') res.stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
      };
      const timer = setTimeout(() => fail(504, 'upstream request timeout'), routeTimeoutMs);
      stream.on('response', (upstream) => {
        if (state !== 'waiting') return;
        state = 'streaming';
        const responseHeaders = withoutPseudo(upstream);
        responseHeaders.server = 'istio-envoy';
        responseHeaders['x-envoy-upstream-service-time'] = String(Date.now() - started);
        res.writeHead(Number(upstream[':status'] ?? 502), responseHeaders);
      });
      stream.on('data', (chunk: Buffer) => {
        if (state === 'streaming') res.write(chunk);
      });
      stream.on('trailers', (received) => {
        trailers = received;
      });
      stream.on('end', () => {
        if (state !== 'streaming') return;
        state = 'done';
        clearTimeout(timer);
        if (trailers) res.addTrailers(withoutPseudo(trailers));
        res.end();
      });
      stream.on('close', () => {
        if (state !== 'done') fail(503, upstreamResetBody);
      });
      // The client went away (or its deadline passed): cancel the workload's call too.
      res.once('close', () => {
        if (state === 'done') return;
        state = 'done';
        clearTimeout(timer);
        stream.close(http2Constants.NGHTTP2_CANCEL);
      });
      req.pipe(stream);
    },
    close() {
      for (const open of sessions.values()) open.destroy();
      sessions.clear();
    },
  };
}

function withoutPseudo(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!name.startsWith(':') && value !== undefined) out[name] = value;
  return out;
}
