/**
 * Runs the local mesh until Ctrl-C: `npx node test/mesh/cli.ts [--token-ttl SECONDS] [--idle-timeout MS]`.
 * Prints the environment an invoker needs (as `export` lines) and where each part listens; never a secret.
 */
import { parseArgs } from 'node:util';
import { startLocalMesh } from './startLocalMesh.ts';

const { values } = parseArgs({
  options: {
    'token-ttl': { type: 'string' },
    'idle-timeout': { type: 'string' },
  },
});
const mesh = await startLocalMesh({
  accessTokenTtlSeconds: values['token-ttl'] ? Number(values['token-ttl']) : undefined,
  ingressIdleTimeoutMs: values['idle-timeout'] ? Number(values['idle-timeout']) : undefined,
});

const lines = [
  '# meshgate local mesh is running; paste these into a shell to point an invoker at it:',
  ...Object.entries(mesh.env).map(([name, value]) => `export ${name}='${value}'`),
  '',
  `# ingress (Istio gateway stand-in): ${mesh.ingress.url}`,
  ...Object.entries(mesh.catalog.services).map(([name, service]) => `#   ${name}: SNI/authority ${service.authority}`),
  `# IdP (oidc-provider):              ${mesh.idp.issuer}`,
  `# orders workload:                  ${mesh.orders.url}`,
  `# SSM (moto_server):                ${mesh.ssm.endpoint}   catalog in ${mesh.catalogParameter}`,
  '# Ctrl-C stops everything.',
];
console.log(lines.join('\n'));

let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  mesh.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
