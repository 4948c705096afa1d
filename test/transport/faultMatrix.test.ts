import { afterAll, beforeAll } from 'vitest';
import { LocalParameter } from '../mesh/localParameter.ts';
import { startLocalMesh, type LocalMesh } from '../mesh/startLocalMesh.ts';
import { registerSecrets } from '../support/findSecrets.ts';
import type { IngressProtocol, MatrixTarget } from './faultCases.ts';
import { runFaultMatrix } from './runFaultMatrix.ts';
import { prepareTransportParameters } from './transportCatalog.ts';

// The fault matrix through the local Envoy-like ingress, over HTTP/2 and HTTP/1.1 (ALPN offers only
// http/1.1 for the second run). nginxTransport.test.ts runs the same matrix through nginx.
let mesh: LocalMesh;

beforeAll(async () => {
  mesh = await startLocalMesh();
  Object.assign(process.env, mesh.env);
  registerSecrets(mesh.secrets());
  await prepareTransportParameters(mesh);
});

afterAll(async () => {
  await mesh?.stop();
});

const envoy = (protocol: IngressProtocol) => (): MatrixTarget => ({
  kind: 'envoy',
  protocol,
  mesh,
  url: mesh.ingress.url,
  port: mesh.ingress.port,
  caParameter: LocalParameter.IngressCa,
  shortRouteTimeout() {
    mesh.ingress.setRouteTimeoutMs(200);
    return () => mesh.ingress.setRouteTimeoutMs(60_000);
  },
  activate() {
    mesh.ingress.offerProtocols(protocol === 'h2' ? ['h2', 'http/1.1'] : ['http/1.1']);
  },
});

runFaultMatrix('Transport: fault matrix through the Envoy-like ingress over h2', envoy('h2'));
runFaultMatrix('Transport: fault matrix through the Envoy-like ingress over HTTP/1.1', envoy('http/1.1'));
