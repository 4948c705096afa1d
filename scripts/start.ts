/**
 * `npm start`: the main job on the embedded local mesh. Starts moto_server (SSM), oidc-provider,
 * the mTLS ingress and the orders service, runs example tasks through the real HTTP invoker
 * handler as Lambda would, prints each outcome, and stops everything.
 */
import { startLocalMesh } from '../test/mesh/startLocalMesh.ts';
import { lambdaContext } from '../test/support/lambdaContext.ts';

const mesh = await startLocalMesh();
Object.assign(process.env, mesh.env, { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT' });
const { handler } = await import('../functions/http-invoker/index.ts');

const context = {
  Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:order-fulfilment:local-1' },
  State: { Name: 'CreateOrder', RetryCount: 0 },
};

const tasks: Array<[string, Record<string, unknown>, () => void]> = [
  ['create an order (private_key_jwt)', { service: 'orders', method: 'POST', path: '/v1/orders', body: { sku: 'B-2', quantity: 3 }, context }, () => {}],
  ['read it back (client_secret_basic)', { service: 'orders-basic', path: '/v1/orders/{orderId}', pathParams: { orderId: 'A-17' }, select: '/status' }, () => {}],
  ['self-signed JWT', { service: 'orders-selfsigned', path: '/v1/orders/{orderId}', pathParams: { orderId: 'A-17' } }, () => {}],
  ['service answers 503', { service: 'orders', path: '/v1/orders/A-17' }, () => mesh.orders.injectFault({ status: 503, body: 'upstream overloaded' })],
  ['mesh RBAC denies the path', { service: 'orders', path: '/v1/admin/users' }, () => {}],
  ['invalid task (authorization header)', { service: 'orders', path: '/v1/orders', headers: { authorization: 'Bearer x' } }, () => {}],
];

let failures = 0;
try {
  for (const [title, task, arrange] of tasks) {
    arrange();
    const started = performance.now();
    try {
      const output = await handler(task, lambdaContext(30_000));
      console.log(`✓ ${title} (${Math.round(performance.now() - started)} ms)\n  ${JSON.stringify(output)}`);
    } catch (error) {
      const { name, message } = error as Error;
      if (!name.startsWith('Mesh.')) failures++;
      console.log(`✗ ${title} (${Math.round(performance.now() - started)} ms)\n  ${name}: ${message}`);
    }
  }
} finally {
  const { meshPools } = await import('../shared/invoke/invokeHttp.ts');
  await meshPools.closeAll();
  await mesh.stop();
}
process.exitCode = failures ? 1 : 0;
