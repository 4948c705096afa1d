import { buildConnector, Pool } from 'undici';
import type { IdentityCredentials } from '../credentials/identityCredentials.ts';

/**
 * Keep idle connections shorter than the idle timeouts in front of the mesh (AWS NLB: 350 s,
 * Envoy's downstream idle_timeout: 1 h by default), so the ingress rarely closes a socket we
 * still consider usable. The in-invocation retry covers the rest (a Lambda freeze).
 */
const KEEP_ALIVE_MS = 30_000;
const KEEP_ALIVE_MAX_MS = 120_000;

/** A connection pool to the ingress for one identity's credential version and one service authority. */
export interface MeshPool {
  pool: Pool;
  /** TLS connections this pool has opened; compared before and after an attempt to tell a reused socket from a new one. */
  connectionsOpened: number;
}

/**
 * undici pools, one per (ingress, authority, credential version), created once and reused across
 * warm invocations. A rotation produces a new credential version and so new connections; pools of
 * older versions are closed gracefully (in-flight requests finish).
 *
 * One pool per authority rather than per ingress: SNI is fixed per TLS connection, and Envoy routes
 * by it, so a connection opened for one service must never carry another service's requests.
 */
export class MeshPools {
  readonly #pools = new Map<string, { version: string; entry: MeshPool }>();

  /**
   * @example
   * const { pool } = meshPools.get('https://ingress:443', 'orders.mesh.example.com', credentials);
   */
  get(ingressOrigin: string, authority: string, credentials: IdentityCredentials): MeshPool {
    const slot = `${credentials.identity}\n${ingressOrigin}\n${authority}`;
    const existing = this.#pools.get(slot);
    if (existing?.version === credentials.version) return existing.entry;
    if (existing) void existing.entry.pool.close().catch(() => undefined);
    const entry = createMeshPool(ingressOrigin, authority, credentials);
    this.#pools.set(slot, { version: credentials.version, entry });
    return entry;
  }

  /** Closes every pool (tests and benchmarks; Lambda just freezes the sandbox). */
  async closeAll(): Promise<void> {
    const pools = [...this.#pools.values()].map(({ entry }) => entry.pool.close().catch(() => undefined));
    this.#pools.clear();
    await Promise.all(pools);
  }
}

function createMeshPool(ingressOrigin: string, authority: string, credentials: IdentityCredentials): MeshPool {
  const servername = authority.replace(/:\d+$/, '');
  const connectTls = buildConnector({
    ca: credentials.caPem,
    cert: credentials.certPem,
    key: credentials.keyPem,
    servername,
    allowH2: true,
    preferH2: true,
    timeout: 10_000,
  });
  const entry: MeshPool = { pool: undefined as unknown as Pool, connectionsOpened: 0 };
  entry.pool = new Pool(ingressOrigin, {
    allowH2: true,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MAX_MS,
    connections: 8,
    connect: (options, callback) => {
      entry.connectionsOpened++;
      connectTls({ ...options, servername }, callback);
    },
  });
  return entry;
}
