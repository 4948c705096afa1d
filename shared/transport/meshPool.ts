import { buildConnector, Pool } from 'undici';
import type { IdentityCredentials } from '../credentials/identityCredentials.ts';

/**
 * Keep idle connections shorter than the idle timeouts in front of the mesh (Envoy's downstream
 * idle_timeout: 1 h by default, AWS NLB: 350 s, nginx: 75 s, ALB: 60 s), so the client, not the
 * ingress, closes an idle socket and no request races the ingress's close. A Lambda freeze outlives
 * any keep-alive; the in-invocation resend on a fresh connection covers that.
 */
export const KEEP_ALIVE_MS = 30_000;

/** A connection pool to the ingress for one identity's credential version and one service authority. */
export interface MeshPool {
  pool: Pool;
  /** TLS connections this pool has opened; compared before and after an attempt to tell a reused socket from a new one. */
  connectionsOpened: number;
}

export interface MeshPoolsOptions {
  /** How long an idle connection is kept (default KEEP_ALIVE_MS); below every idle timeout in front of the mesh. */
  keepAliveMs?: number;
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
  readonly #keepAliveMs: number;

  constructor(options: MeshPoolsOptions = {}) {
    this.#keepAliveMs = options.keepAliveMs ?? KEEP_ALIVE_MS;
  }

  /**
   * @example
   * const { pool } = meshPools.get('https://ingress:443', 'orders.mesh.example.com', credentials);
   */
  get(ingressOrigin: string, authority: string, credentials: IdentityCredentials): MeshPool {
    const slot = `${credentials.identity}\n${ingressOrigin}\n${authority}`;
    const existing = this.#pools.get(slot);
    if (existing?.version === credentials.version) return existing.entry;
    if (existing) void existing.entry.pool.close().catch(() => undefined);
    const entry = createMeshPool(ingressOrigin, authority, credentials, this.#keepAliveMs);
    this.#pools.set(slot, { version: credentials.version, entry });
    return entry;
  }

  /**
   * Forgets a pool whose pooled socket proved stale, so the next `get` opens a fresh connection.
   * A freeze that killed one idle socket killed its siblings too: resending on any of them could
   * meet the same reset. Requests still in flight on it finish (close, not destroy).
   *
   * @example
   * meshPools.discard(meshPool); // then meshPools.get(...) for the resend
   */
  discard(entry: MeshPool): void {
    for (const [slot, held] of this.#pools) if (held.entry === entry) this.#pools.delete(slot);
    void entry.pool.close().catch(() => undefined);
  }

  /** Closes every pool (tests and benchmarks; Lambda just freezes the sandbox). */
  async closeAll(): Promise<void> {
    const pools = [...this.#pools.values()].map(({ entry }) => entry.pool.close().catch(() => undefined));
    this.#pools.clear();
    await Promise.all(pools);
  }
}

function createMeshPool(ingressOrigin: string, authority: string, credentials: IdentityCredentials, keepAliveMs: number): MeshPool {
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
    keepAliveTimeout: keepAliveMs,
    // A server's `Keep-Alive: timeout=` hint may shorten the keep-alive, never lengthen it: the hint
    // speaks for the server, not for the load balancers between us.
    keepAliveMaxTimeout: keepAliveMs,
    connections: 8,
    connect: (options, callback) => {
      entry.connectionsOpened++;
      connectTls({ ...options, servername }, callback);
    },
  });
  return entry;
}
