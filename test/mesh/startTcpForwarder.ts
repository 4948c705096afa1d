import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { trackConnections } from './trackConnections.ts';

/** `forward`: relay bytes both ways; `blackhole`: accept, read and discard, never answer (a hung peer). */
export const ForwarderMode = { Forward: 'forward', Blackhole: 'blackhole' } as const;
export type ForwarderMode = (typeof ForwarderMode)[keyof typeof ForwarderMode];

export interface TcpForwarderOptions {
  /** Where connections are relayed to (loopback). */
  target: { host: string; port: number };
  /**
   * Silently forget a connection idle this long, as a NAT, a load balancer or the peer of a frozen
   * Lambda sandbox does: the upstream side is closed, the client gets no FIN, and the client's next
   * write meets a TCP reset. Off when absent.
   */
  dropIdleAfterMs?: number;
  mode?: ForwarderMode;
}

export interface TcpForwarder {
  /** Loopback port the forwarder listens on. */
  port: number;
  /** `https://127.0.0.1:<port>` (the forwarder relays bytes; TLS stays end to end). */
  url: string;
  /** Connections accepted. */
  readonly accepted: number;
  /** Connections silently dropped after being idle. */
  readonly dropped: number;
  /** Resets sent to a client that wrote on a dropped connection. */
  readonly resets: number;
  /** Connections the client side closed first (FIN or reset), e.g. when its keep-alive ran out. */
  readonly closedByClient: number;
  /** Connections the target closed first, e.g. when its idle timeout ran out. */
  readonly closedByTarget: number;
  setMode(mode: ForwarderMode): void;
  setDropIdleAfterMs(ms: number | undefined): void;
  stop(): Promise<void>;
}

/**
 * A TCP forwarder on loopback that can drop idle connections without telling the client, or swallow
 * everything. It makes a stale pooled socket honest: over HTTP/2 a proxy's GOAWAY, and over HTTP/1.1
 * its FIN, reach the client before its next write, so only a silent drop reproduces the reset a
 * thawed Lambda sandbox meets on its next request (see TOOLCHAIN.md).
 *
 * @example
 * const forwarder = await startTcpForwarder({ target: { host: '127.0.0.1', port: ingress.port }, dropIdleAfterMs: 200 });
 * await mesh.putCatalog({ ...mesh.catalog, ingress: { ...mesh.catalog.ingress, url: forwarder.url } });
 */
export async function startTcpForwarder(options: TcpForwarderOptions): Promise<TcpForwarder> {
  let mode: ForwarderMode = options.mode ?? ForwarderMode.Forward;
  let dropIdleAfterMs = options.dropIdleAfterMs;
  let accepted = 0;
  let dropped = 0;
  let resets = 0;
  let closedByClient = 0;
  let closedByTarget = 0;

  const relay = (client: Socket) => {
    const upstream = connect(options.target.port, options.target.host);
    let forgotten = false;
    let closer: 'client' | 'target' | undefined;
    const closedBy = (side: 'client' | 'target') => {
      if (closer || forgotten) return;
      closer = side;
      if (side === 'client') closedByClient += 1;
      else closedByTarget += 1;
    };
    let idleTimer: NodeJS.Timeout | undefined;
    const forget = () => {
      forgotten = true;
      dropped += 1;
      upstream.destroy();
    };
    const touch = () => {
      clearTimeout(idleTimer);
      if (dropIdleAfterMs !== undefined) idleTimer = setTimeout(forget, dropIdleAfterMs).unref();
    };
    touch();
    client.on('data', (chunk: Buffer) => {
      if (forgotten) {
        // The peer no longer knows this connection: the kernel would answer with RST.
        resets += 1;
        client.resetAndDestroy();
        return;
      }
      touch();
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('data', (chunk: Buffer) => {
      touch();
      if (!client.write(chunk)) upstream.pause();
    });
    upstream.on('drain', () => client.resume());
    client.on('drain', () => upstream.resume());
    upstream.on('end', () => {
      closedBy('target');
      if (!forgotten) client.end();
    });
    client.on('end', () => {
      closedBy('client');
      upstream.end();
    });
    upstream.on('close', () => {
      closedBy('target');
      clearTimeout(idleTimer);
      if (!forgotten) client.destroy();
    });
    client.on('close', () => {
      closedBy('client');
      clearTimeout(idleTimer);
      upstream.destroy();
    });
    upstream.on('error', () => {});
    client.on('error', () => {});
  };

  const server = createServer((client) => {
    accepted += 1;
    if (mode === ForwarderMode.Blackhole) {
      client.on('data', () => {});
      client.on('error', () => {});
      return;
    }
    relay(client);
  });
  const tracked = trackConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    port,
    url: `https://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    get dropped() {
      return dropped;
    },
    get resets() {
      return resets;
    },
    get closedByClient() {
      return closedByClient;
    },
    get closedByTarget() {
      return closedByTarget;
    },
    setMode(next) {
      mode = next;
    },
    setDropIdleAfterMs(ms) {
      dropIdleAfterMs = ms;
    },
    stop: () => tracked.close(),
  };
}
