import { createServer } from 'node:net';

/**
 * Asks the kernel for a free loopback port, for a child process (moto_server) that cannot listen on 0
 * and report back. The port is released before it is returned, so a race is possible but unlikely.
 *
 * @example
 * const port = await freePort();
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
