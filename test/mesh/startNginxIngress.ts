import { spawnGuarded } from './spawnGuarded.ts';
import { accessSync, constants as fsConstants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './freePort.ts';

export interface NginxRouteTimeout {
  /** A path prefix with its own `proxy_read_timeout` (Envoy has per-route timeouts too). */
  pathPrefix: string;
  timeoutMs: number;
}

export interface NginxIngressOptions {
  serverCertPem: string;
  serverKeyPem: string;
  /** CA nginx trusts for client certificates (`ssl_client_certificate`, `ssl_verify_client on`). */
  clientCaPem: string;
  /** Host names served (`server_name`, matched against SNI); any other SNI is refused in the handshake. */
  authorities: readonly string[];
  /** `http://127.0.0.1:<port>` of the workload every route forwards to. */
  upstreamUrl: string;
  /** `keepalive_timeout` for client connections, HTTP/1.1 and HTTP/2 (default 60 000). */
  idleTimeoutMs?: number;
  /** `proxy_read_timeout` of every other path (default 60 000). */
  routeTimeoutMs?: number;
  routeTimeouts?: readonly NginxRouteTimeout[];
  /** gRPC routes: these host names are served on the h2 port only, with `grpc_pass` to a gRPC workload (HTTP/2 without TLS). */
  grpcRoutes?: { authorities: readonly string[]; upstreamUrl: string };
}

export interface NginxIngress {
  /** `https://127.0.0.1:<port>`: offers h2 and http/1.1 by ALPN. */
  url: string;
  port: number;
  /** `https://127.0.0.1:<port>`: the same routes, HTTP/1.1 only. */
  http1Url: string;
  http1Port: number;
  /** Lines nginx wrote to its error log (upstream resets, refused certificates), for diagnostics. */
  errorLog(): string;
  /** Stops nginx and removes its directory (the key file included); idempotent. */
  stop(): Promise<void>;
}

const startupTimeoutMs = 10_000;
// nginx runs under a guard that kills it (and removes its directory, which holds a private key) as soon
// as our end of its stdin closes: on stop(), and also when this process dies in any way.
const guardScript = [
  'exec 3<&0',
  'dir="$1"; shift',
  '"$@" </dev/null &',
  'pid=$!',
  '{ read -r _ <&3; kill -9 "$pid" 2>/dev/null; rm -rf "$dir"; } &',
  'wait "$pid"',
].join('\n');

/** The nginx binary: $MESHGATE_NGINX, then the PATH, then Debian's /usr/sbin (not on a user's PATH). */
export function findNginx(): string | undefined {
  const candidates = [
    process.env.MESHGATE_NGINX,
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'nginx')),
    '/usr/sbin/nginx',
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Starts Debian's nginx (nginx-light) as a second, real mTLS ingress we did not write: TLS with
 * `ssl_verify_client on`, SNI routing by `server_name` (an unknown name is refused in the handshake,
 * as Envoy refuses a connection no filter chain matches), h2 by ALPN on one port and HTTP/1.1 only on
 * another, `proxy_pass` to the workload without buffering. It does not validate JWTs: through nginx the
 * suite covers transport, not authorization. A client certificate nginx refuses gets HTTP 400.
 *
 * @example
 * const nginx = await startNginxIngress({ serverCertPem, serverKeyPem, clientCaPem, authorities, upstreamUrl: orders.url });
 * await nginx.stop();
 */
export async function startNginxIngress(options: NginxIngressOptions): Promise<NginxIngress> {
  const nginx = findNginx();
  if (!nginx) throw new Error('nginx not found: apt-get install nginx-light (or set MESHGATE_NGINX)');
  const [port, http1Port] = await Promise.all([freePort(), freePort()]);
  const dir = mkdtempSync(join(tmpdir(), 'meshgate-nginx-'));
  writeFileSync(join(dir, 'server.crt'), options.serverCertPem);
  writeFileSync(join(dir, 'server.key'), options.serverKeyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'client-ca.crt'), options.clientCaPem);
  writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, port, http1Port, options));

  const nginxProcess = spawnGuarded(guardScript, 'nginx-guard', [dir, nginx, '-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;']);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= nginxProcess.stop().then(() => rmSync(dir, { recursive: true, force: true }));
    return stopping;
  };

  try {
    await Promise.all([waitForPort(port, nginxProcess.exited), waitForPort(http1Port, nginxProcess.exited)]);
  } catch (error) {
    const log = readLog(dir);
    await stop();
    throw new Error(`nginx did not start: ${nginxProcess.outputTail().trim()} ${log.trim()}`, { cause: error });
  }

  return {
    url: `https://127.0.0.1:${port}`,
    port,
    http1Url: `https://127.0.0.1:${http1Port}`,
    http1Port,
    errorLog: () => readLog(dir),
    stop,
  };
}

function nginxConf(dir: string, port: number, http1Port: number, options: NginxIngressOptions): string {
  const upstream = new URL(options.upstreamUrl);
  const idle = `${options.idleTimeoutMs ?? 60_000}ms`;
  const location = (path: string, timeoutMs: number) => `
    location ${path} {
      proxy_pass http://${upstream.hostname}:${upstream.port};
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-Client-Cert "Hash=$ssl_client_fingerprint;Subject=\\"$ssl_client_s_dn\\"";
      # Stream like Envoy: a trickling or cut body reaches the client as it happens.
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout ${timeoutMs}ms;
    }`;
  const routeTimeouts = (options.routeTimeouts ?? []).map(({ pathPrefix, timeoutMs }) => location(pathPrefix, timeoutMs)).join('\n');
  return `# Generated by test/mesh/startNginxIngress.ts; removed on stop.
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_timeout ${idle};
  client_max_body_size 16m;
  ssl_protocols TLSv1.2 TLSv1.3;

  # No server_name matched the SNI: refuse the handshake (unrecognized_name), as Envoy does.
  server {
    listen 127.0.0.1:${port} ssl http2 default_server;
    listen 127.0.0.1:${http1Port} ssl default_server;
    ssl_reject_handshake on;
  }

  server {
    listen 127.0.0.1:${port} ssl http2;
    listen 127.0.0.1:${http1Port} ssl;
    server_name ${options.authorities.join(' ')};
    ssl_certificate ${dir}/server.crt;
    ssl_certificate_key ${dir}/server.key;
    ssl_client_certificate ${dir}/client-ca.crt;
    ssl_verify_client on;
    ssl_verify_depth 2;
${routeTimeouts}
${location('/', options.routeTimeoutMs ?? 60_000)}
  }
${grpcServer(dir, port, options)}
}
`;
}

// gRPC needs HTTP/2 end to end: nginx relays messages and trailers, and answers its own errors
// (upstream down: 502) as plain HTTP, which a gRPC client maps by status.
function grpcServer(dir: string, port: number, options: NginxIngressOptions): string {
  if (!options.grpcRoutes) return '';
  const upstream = new URL(options.grpcRoutes.upstreamUrl);
  return `
  server {
    listen 127.0.0.1:${port} ssl http2;
    server_name ${options.grpcRoutes.authorities.join(' ')};
    ssl_certificate ${dir}/server.crt;
    ssl_certificate_key ${dir}/server.key;
    ssl_client_certificate ${dir}/client-ca.crt;
    ssl_verify_client on;
    ssl_verify_depth 2;
    location / {
      grpc_pass grpc://${upstream.hostname}:${upstream.port};
      grpc_set_header X-Forwarded-Client-Cert "Hash=$ssl_client_fingerprint;Subject=\\"$ssl_client_s_dn\\"";
      grpc_read_timeout ${options.routeTimeoutMs ?? 60_000}ms;
    }
  }`;
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'error.log'), 'utf8');
  } catch {
    return '';
  }
}

async function waitForPort(port: number, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + startupTimeoutMs;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('nginx exited during startup');
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(25);
  }
  throw new Error(`port ${port} not listening within ${startupTimeoutMs} ms`);
}
