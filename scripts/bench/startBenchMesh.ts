import { startLocalMesh, type LocalMesh } from '../../test/mesh/startLocalMesh.ts';
import { startSsmFaultProxy, type SsmFaultProxy } from '../../test/mesh/startSsmFaultProxy.ts';

/** I/O the mesh has seen so far, as counted at the mesh itself. */
export interface IoCounters {
  /** Distinct SDK calls to SSM (retries of one call count once), any action. */
  ssmCalls: number;
  /** Token requests at the IdP. */
  tokenRequests: number;
  /** Completed TLS handshakes at the ingress. */
  handshakes: number;
}

export interface BenchMesh {
  mesh: LocalMesh;
  /** The environment a measured process needs (SSM through the counting proxy). */
  env: Record<string, string>;
  counters(): IoCounters;
  stop(): Promise<void>;
}

/**
 * The local mesh with SSM behind the counting proxy (test/mesh/startSsmFaultProxy.ts, no fault
 * switched on), so SSM calls, token requests and handshakes are all counted where they arrive.
 *
 * @example
 * const bench = await startBenchMesh();
 * const before = bench.counters();
 */
export async function startBenchMesh(): Promise<BenchMesh> {
  const mesh = await startLocalMesh();
  let proxy: SsmFaultProxy;
  try {
    proxy = await startSsmFaultProxy(mesh.ssm.endpoint);
  } catch (error) {
    await mesh.stop();
    throw error;
  }
  return {
    mesh,
    env: { ...mesh.env, AWS_ENDPOINT_URL_SSM: proxy.endpoint },
    counters: () => ({
      ssmCalls: proxy.counts().calls,
      tokenRequests: mesh.idp.tokenRequests,
      handshakes: mesh.ingress.handshakes,
    }),
    async stop() {
      await proxy.stop();
      await mesh.stop();
    },
  };
}
