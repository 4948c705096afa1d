import { spawnGuarded } from './spawnGuarded.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { freePort } from './freePort.ts';

export interface LocalSsm {
  /** `http://127.0.0.1:<port>`: what AWS_ENDPOINT_URL_SSM points at. */
  endpoint: string;
  /** An SDK client for the local endpoint (region us-east-1, dummy credentials). */
  client: SSMClient;
  /** PutParameter with Overwrite; SecureString when `secure`. Resolves to the new Version. */
  put(name: string, value: string, options?: { secure?: boolean }): Promise<number>;
  /** Kills moto_server (SSM becomes unreachable); idempotent. */
  stop(): Promise<void>;
}

const startupTimeoutMs = 20_000;
const guardScript = [
  'exec 3<&0',
  'moto_server "$@" </dev/null &',
  'pid=$!',
  '{ read -r _ <&3; kill -9 "$pid" 2>/dev/null; } &',
  'wait "$pid"',
].join('\n');

/**
 * Starts `moto_server` on a free loopback port as the stand-in for AWS SSM Parameter Store, and waits
 * until it answers. The process is killed on `stop()` and, failing that, when this process exits.
 *
 * @example
 * const ssm = await startSsm();
 * await ssm.put('/meshgate/local/client/key', keyPem, { secure: true });
 * await ssm.stop();
 */
export async function startSsm(): Promise<LocalSsm> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // moto_server runs under a guard that ends it when this process stops or dies (no orphaned moto).
  const moto = spawnGuarded(guardScript, 'moto-guard', ['-H', '127.0.0.1', '-p', String(port)]);
  const stop = () => moto.stop();

  try {
    await waitUntilAnswering(endpoint, moto.exited);
  } catch (error) {
    await stop();
    throw new Error(`moto_server did not start on ${endpoint}: ${moto.outputTail().trim()}`, { cause: error });
  }

  const client = new SSMClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  return {
    endpoint,
    client,
    async put(name, value, options = {}) {
      const result = await client.send(
        new PutParameterCommand({
          Name: name,
          Value: value,
          Type: options.secure ? 'SecureString' : 'String',
          Overwrite: true,
        }),
      );
      return result.Version ?? 0;
    },
    async stop() {
      await stop();
      client.destroy();
    },
  };
}

async function waitUntilAnswering(endpoint: string, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + startupTimeoutMs;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('moto_server exited during startup');
    try {
      // An SSM call, not a plain GET: moto loads its SSM backend on first use, and this pays for it here.
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'x-amz-target': 'AmazonSSM.DescribeParameters',
          'content-type': 'application/x-amz-json-1.1',
          authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: '{}',
        signal: AbortSignal.timeout(5000),
      });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`no answer within ${startupTimeoutMs} ms`);
}
