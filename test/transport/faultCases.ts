import { setTimeout as sleep } from 'node:timers/promises';
import type { MeshErrorName } from '../../shared/errors/meshErrors.ts';
import { freePort } from '../mesh/freePort.ts';
import type { LocalMesh } from '../mesh/startLocalMesh.ts';
import { ForwarderMode, startTcpForwarder } from '../mesh/startTcpForwarder.ts';
import type { Sandbox } from '../support/invokeHandler.ts';
import { TransportParameter, TransportService } from './transportCatalog.ts';

export type IngressKind = 'envoy' | 'nginx';
export type IngressProtocol = 'h2' | 'http/1.1';

/** One ingress and protocol the matrix runs against. */
export interface MatrixTarget {
  kind: IngressKind;
  protocol: IngressProtocol;
  mesh: LocalMesh;
  /** The ingress URL for this protocol. */
  url: string;
  port: number;
  caParameter: string;
  /** Makes paths under /v1/orders/slow/ time out after 200 ms at the ingress; returns the undo. */
  shortRouteTimeout(): () => void;
  /** Prepares the ingress for this target before its cases run (e.g. which protocols ALPN offers). */
  activate?(): void;
}

export interface CaseTools {
  /** A cold sandbox on the target's catalog with another ingress URL or CA parameter. */
  sandboxWith(ingress: { url?: string; caParameter?: string }): Promise<Sandbox>;
}

export interface CaseRun {
  task: Record<string, unknown>;
  /** Sandbox to invoke in (default: the target's warm sandbox). */
  sandbox?: Sandbox;
  lambdaTimeoutMs?: number;
  /** Extra checks after the invocation. */
  verify?: () => void;
  cleanup?: () => Promise<void> | void;
}

export interface Expected {
  outcome: 'ok' | MeshErrorName;
  attempts: number;
  /** Requests the orders workload received during the invocation. */
  serviceRequests: number;
  status?: number;
  detail?: string | RegExp;
  message?: RegExp;
  retryAfterSeconds?: number | readonly [number, number];
}

export interface FaultCase {
  fault: string;
  arrange(target: MatrixTarget, tools: CaseTools): Promise<CaseRun> | CaseRun;
  expected(target: MatrixTarget): Expected;
}

const getOrder = { service: 'orders', path: '/v1/orders/7' };
const envoyResetBody = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
const same = (expected: Expected) => () => expected;

/**
 * The transport fault matrix: each fault, how it is provoked through the real handler and the local
 * mesh, and the contract's outcome (CONTRACT.md section 4) per ingress. Where nginx and Envoy answer
 * a fault differently (their own error pages, a refused certificate), the outcome follows the answer.
 */
export const faultCases: readonly FaultCase[] = [
  {
    fault: 'none (baseline)',
    arrange: () => ({ task: getOrder }),
    expected: same({ outcome: 'ok', attempts: 1, serviceRequests: 1, status: 200 }),
  },
  {
    fault: 'upstream reset before headers',
    arrange: ({ mesh }) => {
      mesh.orders.injectFault({ resetBeforeHeaders: true });
      return { task: getOrder };
    },
    expected: ({ kind }) =>
      kind === 'envoy'
        ? { outcome: 'Mesh.Unavailable', attempts: 1, serviceRequests: 1, status: 503, detail: envoyResetBody }
        : { outcome: 'Mesh.Unavailable', attempts: 1, serviceRequests: 1, status: 502, detail: /502 Bad Gateway/ },
  },
  {
    fault: 'pooled connection reset before any response byte (sandbox frozen past the idle timeout)',
    arrange: async ({ port }, tools) => {
      const forwarder = await startTcpForwarder({ target: { host: '127.0.0.1', port }, dropIdleAfterMs: 150 });
      const sandbox = await tools.sandboxWith({ url: forwarder.url });
      await sandbox.invoke(getOrder);
      await sleep(300);
      return {
        // A POST: the resend must not reach the service twice.
        task: { service: 'orders', method: 'POST', path: '/v1/orders', body: { sku: 'F-1' } },
        sandbox,
        verify: () => {
          if (forwarder.resets !== 1 || forwarder.accepted !== 2) {
            throw new Error(`expected one reset and one new connection, saw ${forwarder.resets} and ${forwarder.accepted}`);
          }
        },
        cleanup: () => forwarder.stop(),
      };
    },
    expected: same({ outcome: 'ok', attempts: 2, serviceRequests: 1, status: 201 }),
  },
  {
    fault: 'upstream reset mid-body',
    arrange: ({ mesh }) => {
      mesh.orders.injectFault({ resetMidBody: true });
      return { task: getOrder };
    },
    expected: same({ outcome: 'Mesh.Unavailable', attempts: 1, serviceRequests: 1, message: /Connection closed while reading the response/ }),
  },
  {
    fault: '502 with an Envoy body',
    arrange: ({ mesh }) => {
      mesh.orders.injectFault({
        status: 502,
        body: 'upstream connect error or disconnect/reset before headers. reset reason: protocol error',
        headers: { 'content-type': 'text/plain' },
      });
      return { task: getOrder };
    },
    expected: same({
      outcome: 'Mesh.Unavailable', attempts: 1, serviceRequests: 1, status: 502,
      detail: 'upstream connect error or disconnect/reset before headers. reset reason: protocol error',
    }),
  },
  {
    fault: '503 with x-envoy-overloaded',
    arrange: ({ mesh }) => {
      mesh.orders.injectFault({
        status: 503,
        body: 'upstream connect error or disconnect/reset before headers. reset reason: overflow',
        headers: { 'content-type': 'text/plain', 'x-envoy-overloaded': 'true' },
      });
      return { task: getOrder };
    },
    expected: same({
      outcome: 'Mesh.Unavailable', attempts: 1, serviceRequests: 1, status: 503,
      detail: 'upstream connect error or disconnect/reset before headers. reset reason: overflow',
    }),
  },
  {
    fault: '504 from the ingress route timeout',
    arrange: (target) => {
      target.mesh.orders.injectFault({ delayMs: 700 }, { pathPrefix: '/v1/orders/slow' });
      const restore = target.shortRouteTimeout();
      return { task: { service: 'orders', path: '/v1/orders/slow/7' }, cleanup: restore };
    },
    expected: ({ kind }) =>
      kind === 'envoy'
        ? { outcome: 'Mesh.Unavailable', attempts: 1, serviceRequests: 1, status: 504, detail: 'upstream request timeout' }
        : { outcome: 'Mesh.Unavailable', attempts: 1, serviceRequests: 1, status: 504, detail: /504 Gateway Time-out/ },
  },
  {
    fault: '429 with Retry-After in seconds',
    arrange: ({ mesh }) => {
      mesh.orders.injectFault({ status: 429, body: 'local_rate_limited', headers: { 'retry-after': '7', 'content-type': 'text/plain' } });
      return { task: getOrder };
    },
    expected: same({ outcome: 'Mesh.Throttled', attempts: 1, serviceRequests: 1, status: 429, retryAfterSeconds: 7, detail: 'local_rate_limited' }),
  },
  {
    fault: '429 with Retry-After as an HTTP date (+30 s)',
    arrange: ({ mesh }) => {
      mesh.orders.injectFault({ status: 429, headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() } });
      return { task: getOrder };
    },
    expected: same({ outcome: 'Mesh.Throttled', attempts: 1, serviceRequests: 1, status: 429, retryAfterSeconds: [28, 31] }),
  },
  {
    fault: 'client certificate refused (foreign CA)',
    arrange: () => ({ task: { ...getOrder, service: TransportService.Untrusted } }),
    // Envoy refuses in the handshake: one forced refresh, then Unauthorized. nginx completes the
    // handshake and answers 400 "The SSL certificate error": an ordinary 4xx, not retried.
    expected: ({ kind }) =>
      kind === 'envoy'
        ? { outcome: 'Mesh.Unauthorized', attempts: 2, serviceRequests: 0, message: /Ingress refused the TLS connection/ }
        : { outcome: 'Mesh.ClientError', attempts: 1, serviceRequests: 0, status: 400, detail: /The SSL certificate error/ },
  },
  {
    fault: 'ingress certificate not signed by caParameter',
    arrange: async (_target, tools) => ({
      task: getOrder,
      sandbox: await tools.sandboxWith({ caParameter: TransportParameter.WrongCa }),
    }),
    expected: same({ outcome: 'Mesh.ConfigError', attempts: 2, serviceRequests: 0, message: /does not verify against caParameter/ }),
  },
  {
    fault: 'unknown SNI',
    arrange: () => ({ task: { ...getOrder, service: TransportService.UnknownSni } }),
    expected: same({ outcome: 'Mesh.Unauthorized', attempts: 2, serviceRequests: 0, message: /Ingress refused the TLS connection/ }),
  },
  {
    fault: 'DNS failure of the ingress host',
    arrange: async ({ port }, tools) => ({
      task: getOrder,
      sandbox: await tools.sandboxWith({ url: `https://ingress.invalid:${port}` }),
    }),
    expected: same({ outcome: 'Mesh.Unavailable', attempts: 1, serviceRequests: 0, message: /ENOTFOUND/ }),
  },
  {
    fault: 'connection refused',
    arrange: async (_target, tools) => ({
      task: getOrder,
      sandbox: await tools.sandboxWith({ url: `https://127.0.0.1:${await freePort()}` }),
    }),
    expected: same({ outcome: 'Mesh.Unavailable', attempts: 1, serviceRequests: 0, message: /ECONNREFUSED/ }),
  },
  {
    fault: 'ingress accepts but never answers',
    arrange: async ({ port }, tools) => {
      const forwarder = await startTcpForwarder({ target: { host: '127.0.0.1', port }, mode: ForwarderMode.Blackhole });
      return {
        task: { ...getOrder, timeoutMs: 300 },
        sandbox: await tools.sandboxWith({ url: forwarder.url }),
        cleanup: () => forwarder.stop(),
      };
    },
    expected: same({ outcome: 'Mesh.Timeout', attempts: 1, serviceRequests: 0 }),
  },
  {
    fault: 'slow headers (2 s, timeoutMs 300)',
    arrange: ({ mesh }) => {
      mesh.orders.injectFault({ delayMs: 2_000 });
      return { task: { ...getOrder, timeoutMs: 300 } };
    },
    expected: same({ outcome: 'Mesh.Timeout', attempts: 1, serviceRequests: 1 }),
  },
  {
    fault: 'body trickling in (20 chunks x 100 ms, timeoutMs 400)',
    arrange: ({ mesh }) => {
      mesh.orders.injectFault({ trickle: { chunks: 20, intervalMs: 100 } });
      return { task: { ...getOrder, timeoutMs: 400 } };
    },
    expected: same({ outcome: 'Mesh.Timeout', attempts: 1, serviceRequests: 1 }),
  },
  {
    fault: 'oversized body, declared (2 MiB content-length)',
    arrange: () => ({ task: { service: 'orders', path: '/v1/orders/big', query: { bytes: 2 * 1024 * 1024 } } }),
    expected: same({ outcome: 'Mesh.ResponseTooLarge', attempts: 1, serviceRequests: 1 }),
  },
  {
    fault: 'oversized body, streamed (chunked, over maxResponseBytes 1024)',
    arrange: ({ mesh }) => {
      mesh.orders.injectFault({ trickle: { chunks: 300, intervalMs: 0 } });
      return { task: { ...getOrder, service: TransportService.Small } };
    },
    expected: same({ outcome: 'Mesh.ResponseTooLarge', attempts: 1, serviceRequests: 1 }),
  },
  {
    fault: 'output over 240 KiB',
    arrange: () => ({ task: { service: 'orders', path: '/v1/orders/big', query: { bytes: 300 * 1024 } } }),
    expected: same({ outcome: 'Mesh.ResponseTooLarge', attempts: 1, serviceRequests: 1 }),
  },
  {
    fault: 'malformed JSON body',
    arrange: ({ mesh }) => {
      mesh.orders.injectFault({ rawBody: '{"id": ', contentType: 'application/json' });
      return { task: getOrder };
    },
    expected: same({ outcome: 'Mesh.BadResponse', attempts: 1, serviceRequests: 1, status: 200 }),
  },
  {
    fault: 'HTML error page declared as JSON',
    arrange: ({ mesh }) => {
      mesh.orders.injectFault({ rawBody: '<html><body>502 Bad Gateway</body></html>', contentType: 'application/json; charset=utf-8' });
      return { task: getOrder };
    },
    expected: same({ outcome: 'Mesh.BadResponse', attempts: 1, serviceRequests: 1, status: 200 }),
  },
];
