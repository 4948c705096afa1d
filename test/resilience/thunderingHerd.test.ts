import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedLogRecords } from '../support/capturedOutput.ts';
import type { HerdMessage, HerdResult } from './herdWorker.ts';
import { startResilienceMesh, type ResilienceMesh } from './startResilienceMesh.ts';

/** MESHGATE_HERD_SANDBOXES (default 200): how many cold sandboxes start at once. */
const sandboxCount = Number(process.env.MESHGATE_HERD_SANDBOXES ?? 200);
/** Parameter Store's default throughput: 40 GetParameter(s) requests a second per account and region. */
const ssmRequestsPerSecond = 40;
/** One worker thread per core, each hosting half the sandboxes (a worker per sandbox: ~27 MB and ~190 ms of CPU each, 37 s for 200). */
const workerCount = 2;
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

let resilience: ResilienceMesh;
let bundleDir: string;

beforeAll(async () => {
  bundleDir = join(repoRoot, 'node_modules', '.cache', `meshgate-herd-${process.pid}`);
  await mkdir(bundleDir, { recursive: true });
  const [mesh] = await Promise.all([
    startResilienceMesh(),
    // One bundle of meshgate's own modules, imported once per sandbox under its own URL: every
    // module-level singleton (catalog, credential and token caches, SSM client, IdP agent, mesh
    // pools, logger) exists once per sandbox. Packages stay external, shared as code only (Lambda's
    // runtime shares the AWS SDK the same way); bundling them too costs ~60 ms of CPU per sandbox.
    build({
      entryPoints: [join(repoRoot, 'functions/http-invoker/index.ts')],
      outfile: join(bundleDir, 'index.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      keepNames: true,
      packages: 'external',
      banner: { js: "import{createRequire}from'module';const require=createRequire(import.meta.url);" },
      logLevel: 'warning',
    }),
  ]);
  resilience = mesh;
});

afterAll(async () => {
  await resilience?.stop();
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
});

/** Starts a worker and resolves once its sandboxes are initialised. */
function startWorker(ids: number[]): Promise<{ worker: Worker; exited: Promise<unknown>; ready: Extract<HerdMessage, { type: 'ready' }> }> {
  const worker = new Worker(new URL('./herdWorker.ts', import.meta.url), {
    workerData: { bundleUrl: pathToFileURL(join(bundleDir, 'index.mjs')).href, ids },
  });
  const exited = new Promise((resolveExit) => worker.once('exit', resolveExit));
  return new Promise((resolveReady, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: HerdMessage) => {
      if (message.type === 'ready') resolveReady({ worker, exited, ready: message });
      else reject(new Error(`unexpected message ${message.type}`));
    });
  });
}

function percentile(sorted: number[], share: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0);
}

describe('Resilience: thundering herd', () => {
  it(
    `starts ${sandboxCount} cold sandboxes at once against SSM limited to ${ssmRequestsPerSecond} requests/s: all succeed`,
    async () => {
      // Prepare
      const { ssmProxy, mesh } = resilience;
      const ids = Array.from({ length: sandboxCount }, (_, id) => id);
      const initStarted = Date.now();
      const workers = await Promise.all(
        Array.from({ length: workerCount }, (_, index) => startWorker(ids.filter((id) => id % workerCount === index))),
      );
      const initMs = Date.now() - initStarted;
      ssmProxy.resetCounts();
      ssmProxy.setRateLimit(ssmRequestsPerSecond);
      const tokenRequests = mesh.idp.tokenRequests;
      const discoveryRequests = mesh.idp.discoveryRequests;
      const handshakes = mesh.ingress.handshakes;

      // Act
      const started = Date.now();
      const results = (
        await Promise.all(
          workers.map(
            ({ worker }) =>
              new Promise<HerdResult[]>((resolveDone, reject) => {
                worker.once('error', reject);
                worker.once('message', (message: HerdMessage) => {
                  if (message.type === 'done') resolveDone(message.results);
                });
                worker.postMessage({ type: 'go', task: { service: 'orders', path: '/v1/orders/7' }, timeoutMs: 30_000 });
              }),
          ),
        )
      ).flat();
      const wallMs = Date.now() - started;
      await Promise.all(workers.map(({ exited }) => exited));
      ssmProxy.setRateLimit(null);

      // Assess
      const failures = results.filter((result) => !result.ok);
      expect(failures.slice(0, 5)).toEqual([]);
      expect(results).toHaveLength(sandboxCount);
      const ssm = ssmProxy.counts('GetParameters');
      // Each sandbox needs the catalog and its identity's parameters at least once; exactly once each means no waste.
      expect(ssm.calls).toBe(2 * sandboxCount);
      expect(ssmProxy.counts().calls).toBe(ssm.calls);
      expect(mesh.idp.tokenRequests - tokenRequests).toBe(sandboxCount);
      expect(mesh.ingress.handshakes - handshakes).toBeGreaterThanOrEqual(sandboxCount);
      if (2 * sandboxCount > ssmRequestsPerSecond) expect(ssm.throttled).toBeGreaterThan(0);
      // The sandboxes' logs reached this process (and so the secret guard): one audit line each.
      expect(capturedLogRecords().filter((record) => record.message === 'meshgate invocation')).toHaveLength(sandboxCount);
      const durations = results.map((result) => result.durationMs).sort((a, b) => a - b);
      console.info(
        JSON.stringify({
          measured: 'thundering herd',
          sandboxes: sandboxCount,
          workers: workerCount,
          initMs,
          initPerWorkerMs: workers.map(({ ready }) => Math.round(ready.initMs)),
          heapPerWorkerMB: workers.map(({ ready }) => Math.round(ready.heapUsedBytes / 1e6)),
          wallMs,
          ssmCallsPerSandbox: ssm.calls / sandboxCount,
          ssmRequestsPerSandbox: +(ssm.requests / sandboxCount).toFixed(2),
          ssmThrottled: ssm.throttled,
          ssmRequests: ssm.requests,
          tokenRequestsPerSandbox: (mesh.idp.tokenRequests - tokenRequests) / sandboxCount,
          discoveryRequestsPerSandbox: (mesh.idp.discoveryRequests - discoveryRequests) / sandboxCount,
          invocationMs: { p50: percentile(durations, 0.5), p95: percentile(durations, 0.95), max: percentile(durations, 1) },
          attempts: Math.max(...results.map((result) => result.attempts ?? 0)),
        }),
      );
    },
    90_000,
  );
});
