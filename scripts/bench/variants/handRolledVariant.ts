import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Agent, request } from 'undici';
import type { BenchParameterNames, BenchRoute, BenchVariant } from './benchVariant.ts';

/**
 * What a typical hand-rolled handler does on every call: read the certificate, key and CA from
 * SSM (GetParameters, decrypted, through an SDK client created once per sandbox), open a new
 * mTLS connection with them (a new undici Agent), make the request and parse the JSON answer.
 * Kept on the kind side: the token is fetched once (many handlers fetch one per call too),
 * nothing is logged, and the Agent is closed without waiting for it.
 *
 * @example
 * const handRolled = handRolledVariant(route, names);
 */
export function handRolledVariant(route: BenchRoute, names: BenchParameterNames): BenchVariant<void> {
  const ssm = new SSMClient({});
  const url = `${route.ingressUrl}${route.path}`;
  return {
    name: 'handRolled',
    prepare: () => undefined,
    async run() {
      const { Parameters = [] } = await ssm.send(
        new GetParametersCommand({ Names: [names.cert, names.key, names.ca], WithDecryption: true }),
      );
      const value = (name: string) => Parameters.find((parameter) => parameter.Name === name)?.Value ?? '';
      const agent = new Agent({
        connect: { ca: value(names.ca), cert: value(names.cert), key: value(names.key), servername: route.authority },
      });
      try {
        const response = await request(url, {
          dispatcher: agent,
          headers: { host: route.authority, authorization: `Bearer ${route.token}` },
        });
        await response.body.json();
        return response.statusCode;
      } finally {
        void agent.close().catch(() => undefined);
      }
    },
    close: async () => ssm.destroy(),
  };
}
