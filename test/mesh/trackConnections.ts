import type { Server } from 'node:net';
import type { Socket } from 'node:net';

export interface TrackedServer {
  /** Stops listening, destroys every open connection (idle or not) and resolves once closed. */
  close(): Promise<void>;
}

/**
 * Remembers every connection a server accepts so stopping it never waits on a keep-alive socket or a
 * hanging request (server.close() alone waits for them).
 *
 * @example
 * const tracked = trackConnections(server);
 * await tracked.close();
 */
export function trackConnections(server: Server): TrackedServer {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (!server.listening) {
          for (const socket of sockets) socket.destroy();
          resolve();
          return;
        }
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
