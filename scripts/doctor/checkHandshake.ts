import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { randomUUID } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { Catalog } from '../../shared/catalog/catalogTypes.ts';
import type { IdentityCredentials } from '../../shared/credentials/identityCredentials.ts';
import { MESHGATE_VERSION } from '../../shared/invoke/meshgateVersion.ts';
import { AttemptFailure } from '../../shared/transport/attemptFailure.ts';
import type { MeshPools } from '../../shared/transport/meshPool.ts';
import { sendAttempt } from '../../shared/transport/sendAttempt.ts';
import { describeCertificate } from './describeCertificate.ts';
import { describeServerChain, type ServerChain } from './describeServerChain.ts';
import type { DoctorStep } from './doctorStep.ts';
import { peekServerChain } from './peekServerChain.ts';
import { Step } from './step.ts';

/** undici publishes every connection it opens here, with the socket (node:diagnostics_channel). */
const CONNECTED = 'undici:client:connected';

/**
 * Step 5, per (identity, authority): the mTLS handshake to the ingress succeeds with the service's
 * SNI, through the invoker's own connection pool (same TLS options, same ALPN). A `HEAD /`
 * without a token carries it; any HTTP answer proves the handshake (the mesh normally answers 403).
 *
 * @example
 * const { step, connected } = await checkHandshake(catalog, 'orders', credentials, pools, { minDays: 14, timeoutMs: 10_000 });
 */
export async function checkHandshake(
  catalog: Catalog,
  serviceName: string,
  credentials: IdentityCredentials,
  pools: MeshPools,
  { minDays, timeoutMs }: { minDays: number; timeoutMs: number },
): Promise<{ step: DoctorStep; connected: boolean }> {
  const service = catalog.services[serviceName]!;
  const authority = service.authority;
  const subject = `${authority} (identity ${service.identity})`;
  const ingress = new URL(catalog.ingress.url);
  let seen: ServerChain | undefined;
  const onConnected = (message: unknown) => {
    const { connectParams, socket } = message as { connectParams: { hostname: string; port: string | number }; socket: TLSSocket };
    // URL ports are '' for the scheme's default.
    if (connectParams.hostname === ingress.hostname && String(connectParams.port || 443) === (ingress.port || '443')) {
      seen = describeServerChain(socket);
    }
  };

  subscribe(CONNECTED, onConnected);
  let status: number;
  try {
    const response = await sendAttempt(pools.get(catalog.ingress.url, authority, credentials), {
      method: 'HEAD',
      path: '/',
      headers: { host: authority, 'user-agent': `meshgate-doctor/${MESHGATE_VERSION}`, 'x-request-id': randomUUID() },
      timeoutMs,
      maxResponseBytes: 64 * 1024,
    });
    status = response.status;
  } catch (error) {
    if (!(error instanceof AttemptFailure)) throw error;
    return { step: await handshakeFailure(error, subject, catalog, authority, credentials, seen, timeoutMs), connected: false };
  } finally {
    unsubscribe(CONNECTED, onConnected);
  }

  const details = seen ? seen.chain.map((line) => `chain: ${line}`) : [];
  details.push(`HEAD / without a token answered ${status}`);
  if (seen && seen.leafDaysLeft < minDays) {
    const step = Step.fail(
      'tls',
      subject,
      `handshake succeeded, but the ingress certificate expires in ${seen.leafDaysLeft} days (under ${minDays})`,
      "Renew the gateway's server certificate (the Gateway's credentialName secret).",
      details,
    );
    return { step, connected: true };
  }
  return { step: Step.pass('tls', subject, `handshake succeeded${seen ? ` (${seen.protocol}, ALPN ${seen.alpn})` : ''}`, details), connected: true };
}

async function handshakeFailure(
  failure: AttemptFailure,
  subject: string,
  catalog: Catalog,
  authority: string,
  credentials: IdentityCredentials,
  handshakeCompleted: ServerChain | undefined,
  timeoutMs: number,
): Promise<DoctorStep> {
  const client = describeCertificate(credentials.certPem);
  switch (failure.kind) {
    case 'untrusted': {
      const presented = await peekServerChain(catalog.ingress.url, authority, credentials, timeoutMs);
      const details = presented ? presented.chain.map((line) => `presented: ${line}`) : [];
      if (failure.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
        return Step.fail(
          'tls',
          subject,
          `the ingress certificate does not name ${authority} (${failure.code})`,
          `Issue the gateway's server certificate (credentialName secret) with ${authority.replace(/:\d+$/, '')} among its DNS names.`,
          details,
        );
      }
      return Step.fail(
        'tls',
        subject,
        `the ingress certificate does not verify against ${catalog.ingress.caParameter} (${failure.code})`,
        `Write the CA that signs the gateway's certificate (see the issuer below) to ${catalog.ingress.caParameter}.`,
        details,
      );
    }
    case 'refused':
      if (handshakeCompleted) {
        return Step.fail(
          'tls',
          subject,
          `the ingress closed the connection right after the handshake (${failure.code}): it refused the client certificate`,
          `The Gateway's credentialName secret must hold, as ca.crt, the CA that issued the client certificate (issuer ${client.issuer}); ` +
            'and the certificate must not be revoked.',
          [`client certificate: ${client.subject}, issuer ${client.issuer}`],
        );
      }
      return Step.fail(
        'tls',
        subject,
        `the ingress refused the handshake for SNI ${authority.replace(/:\d+$/, '')} (${failure.code})`,
        `Add ${authority.replace(/:\d+$/, '')} to the hosts of the Gateway's MUTUAL server (npm run istio), or correct the service's authority.`,
      );
    case 'unreachable':
      return Step.fail(
        'tls',
        subject,
        `nothing answered at ${catalog.ingress.url} (${failure.code})`,
        'Check ingress.url (host, port), DNS, and the network path from the function (VPC subnets, security groups).',
      );
    case 'timeout':
      return Step.fail('tls', subject, `no answer within ${timeoutMs} ms`, 'Check the network path to the ingress (security groups, NLB listeners).');
    default:
      return Step.fail('tls', subject, `connection failed (${failure.kind}, ${failure.code})`, 'Run again; if it persists, check the ingress logs.');
  }
}
