import { connect, type TLSSocket } from 'node:tls';
import type { IdentityCredentials } from '../../shared/credentials/identityCredentials.ts';
import { describeServerChain, type ServerChain } from './describeServerChain.ts';

/**
 * Only after the real handshake failed verification: connects again *without* verifying the
 * ingress, to show which chain it actually presents, so the report can say what the CA parameter
 * should hold. Nothing is sent on this connection.
 *
 * @example
 * const presented = await peekServerChain('https://ingress:443', 'orders.mesh.example.com', credentials, 5_000);
 */
export async function peekServerChain(
  ingressOrigin: string,
  authority: string,
  credentials: IdentityCredentials,
  timeoutMs: number,
): Promise<ServerChain | undefined> {
  const url = new URL(ingressOrigin);
  return new Promise((resolve) => {
    const socket: TLSSocket = connect({
      host: url.hostname,
      port: Number(url.port || 443),
      servername: authority.replace(/:\d+$/, ''),
      cert: credentials.certPem,
      key: credentials.keyPem,
      rejectUnauthorized: false,
      ALPNProtocols: ['h2', 'http/1.1'],
    });
    const done = (chain: ServerChain | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(chain);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.once('secureConnect', () => done(describeServerChain(socket)));
    socket.once('error', () => done(undefined));
  });
}
