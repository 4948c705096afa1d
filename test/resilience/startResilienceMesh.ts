import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { startLocalMesh, type LocalMesh, type LocalMeshOptions } from '../mesh/startLocalMesh.ts';
import { startSsmFaultProxy, type SsmFaultProxy } from '../mesh/startSsmFaultProxy.ts';
import { registerSecrets } from '../support/findSecrets.ts';

export interface ResilienceMesh {
  mesh: LocalMesh;
  /** Sits between the invokers (AWS_ENDPOINT_URL_SSM) and moto_server; the mesh's own writes bypass it. */
  ssmProxy: SsmFaultProxy;
  /** A parameter's current value and version, read straight from moto (not counted by the proxy). */
  readParameter(name: string): Promise<{ value: string; version: number }>;
  stop(): Promise<void>;
}

/**
 * The local mesh with the SSM fault proxy in front of moto_server, its environment applied to
 * this process (so `Sandbox` invokers use it) and its secrets registered with the secret guard.
 *
 * @example
 * const { mesh, ssmProxy } = await startResilienceMesh({ accessTokenTtlSeconds: 10 });
 */
export async function startResilienceMesh(options: LocalMeshOptions = {}): Promise<ResilienceMesh> {
  const mesh = await startLocalMesh(options);
  let ssmProxy: SsmFaultProxy;
  try {
    ssmProxy = await startSsmFaultProxy(mesh.ssm.endpoint);
  } catch (error) {
    await mesh.stop();
    throw error;
  }
  Object.assign(process.env, mesh.env, { AWS_ENDPOINT_URL_SSM: ssmProxy.endpoint });
  registerSecrets(mesh.secrets());
  return {
    mesh,
    ssmProxy,
    async readParameter(name) {
      const { Parameter } = await mesh.ssm.client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      return { value: Parameter?.Value ?? '', version: Parameter?.Version ?? 0 };
    },
    async stop() {
      await Promise.allSettled([ssmProxy.stop(), mesh.stop()]);
    },
  };
}
