/**
 * `npm start`: the example order-fulfilment workflow on the embedded local mesh. Starts moto_server
 * (SSM), oidc-provider, the mTLS ingress, the orders service and the inventory gRPC service; runs
 * infra/statemachines/order-fulfilment.jsonpath.asl.json on aws-local-stepfunctions (or, with
 * `--jsonata`, the JSONata definition on the local JSONata engine), every Task executed by the real
 * invoker handlers through the lambda:invoke emulation, with template.yaml's DefinitionSubstitutions
 * (ReserveStock → gRPC invoker, the rest → HTTP invoker); makes the orders service answer the first
 * charge with 503 so a Retry shows, and the inventory service answer the first stock hold with
 * FAILED_PRECONDITION (out of stock) so a Catch shows; prints the trace and the output; stops everything.
 * The functions' own output (invocation records, log lines) goes to a file named at the end, or,
 * with `--logs`, to the terminal between the trace lines.
 *
 *   npm start [-- --jsonata] [-- --logs]
 *
 * Exits 0 when the execution succeeded after retrying the charge and backordering one item, 1 otherwise.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startLocalMesh } from '../test/mesh/startLocalMesh.ts';
import type { JsonValue } from './workflow/jsonValue.ts';
import { formatJson } from './workflow/formatJson.ts';
import { lambdaInvokeAdapter } from './workflow/lambdaInvokeAdapter.ts';
import { lambdaTaskRunner } from './workflow/lambdaTaskRunner.ts';
import { loadSamTemplate } from './workflow/loadSamTemplate.ts';
import { loadStateMachine } from './workflow/loadStateMachine.ts';
import { localDefinitionSubstitutions } from './workflow/localDefinitionSubstitutions.ts';
import { localFunctionArn } from './workflow/localFunctionArn.ts';
import { runWorkflow } from './workflow/runWorkflow.ts';
import { WorkflowTrace } from './workflow/workflowTrace.ts';
import { divertFunctionOutput, terminalPrinter } from './workflow/divertFunctionOutput.ts';

/** Retry waits as written are 1 s × 2^n with full jitter; locally they are cut to this. */
const RETRY_DELAY_MS = 250;

const { values: flags } = parseArgs({ options: { jsonata: { type: 'boolean' }, logs: { type: 'boolean' } } });
const language = flags.jsonata ? 'jsonata' : 'jsonpath';
const print = terminalPrinter();
// The functions' invocation records and log lines would bury the trace; `--logs` shows them.
const diverted = flags.logs ? undefined : divertFunctionOutput('npm-start');

const started = performance.now();
const mesh = await startLocalMesh();
let succeeded = false;
try {
  Object.assign(process.env, mesh.env);
  const { handler } = await import('../functions/http-invoker/index.ts');
  const { handler: grpcHandler } = await import('../functions/grpc-invoker/index.ts');
  const definitionPath = `infra/statemachines/order-fulfilment.${language}.asl.json`;
  const substitutions = localDefinitionSubstitutions(await loadSamTemplate('template.yaml'), 'OrderFulfilmentStateMachine');
  const definition = await loadStateMachine(definitionPath, substitutions);
  const input = JSON.parse(await readFile('infra/statemachines/order-fulfilment.input.json', 'utf8')) as { orderId: string } & JsonValue;
  const chargePath = `/v1/orders/${input.orderId}`;
  mesh.orders.injectFault({ status: 503, body: 'upstream overloaded' }, { pathPrefix: chargePath, times: 1 });
  mesh.inventory.injectFault({ code: 9, message: 'out of stock', details: [{ stockShortage: { sku: 'B-2', available: 0 } }] });

  print(`meshgate · ${definitionPath}`);
  print(`  local mesh up in ${Math.round(performance.now() - started)} ms: SSM ${mesh.ssm.endpoint}, IdP ${mesh.idp.issuer}, ingress ${mesh.ingress.url}`);
  print(`  fault: the orders service answers 503 to the first request under ${chargePath} (the charge)`);
  print('  fault: the inventory service answers FAILED_PRECONDITION (out of stock) to the first stock hold (gRPC)');
  print(`  Retry waits cut to ${RETRY_DELAY_MS} ms (as written: 1 s × 2^n, at most 10 s, full jitter)\n`);
  print(`  ${WorkflowTrace.header()}`);

  const result = await runWorkflow({
    definition,
    input,
    runTask: lambdaTaskRunner(
      lambdaInvokeAdapter({
        [localFunctionArn('HttpInvokerFunction')]: { handler, timeoutSeconds: 30 },
        [localFunctionArn('GrpcInvokerFunction')]: { handler: grpcHandler, timeoutSeconds: 30 },
      }),
    ),
    executionName: `local-${Date.now()}`,
    retryDelayMs: RETRY_DELAY_MS,
    onTrace: (entry) => print(`  ${WorkflowTrace.format(entry)}`),
  });

  print(`\n${result.status} in ${result.durationMs} ms (${result.engine}, ${result.executionArn})`);
  if (result.status === 'SUCCEEDED') print(`output: ${formatJson(result.output, 140)}`);
  else print(`error: ${result.error}\ncause: ${result.cause}`);

  print(`\nthe orders service received ${mesh.orders.requests.length} requests:`);
  for (const request of mesh.orders.requests) {
    const key = request.headers['idempotency-key'];
    print(`  ${request.method.padEnd(6)} ${request.path.padEnd(26)} ${typeof key === 'string' ? `idempotency-key ${key}` : ''}`);
  }
  const charges = mesh.orders.requests.filter((request) => request.method === 'PATCH' && request.path === chargePath);
  const chargeKeys = new Set(charges.map((request) => request.headers['idempotency-key']));
  const chargeAttempts = result.trace.filter((entry) => entry.state === 'Charge' && entry.outcome !== 'retry' && entry.outcome !== 'caught');
  print(
    `  Charge: ${chargeAttempts.map((entry) => `attempt ${entry.attempt} ${entry.outcome}`).join(', ')}; ` +
      `${charges.length} requests with ${chargeKeys.size} idempotency-key (one charge, however often ASL retries)`,
  );

  print(`\nthe inventory service received ${mesh.inventory.requests.length} gRPC calls:`);
  for (const request of mesh.inventory.requests) {
    const { sku, quantity } = request.message as { sku: string; quantity: number };
    print(`  ${request.rpc.padEnd(32)} ${`${sku} × ${quantity}`.padEnd(12)} idempotency-key ${request.metadata['idempotency-key']}`);
  }
  const stockHolds = result.trace.filter((entry) => entry.state === 'ReserveStock' && entry.outcome !== 'caught');
  const backordered = stockHolds.filter((entry) => entry.outcome === 'Mesh.ClientError');
  print(
    `  ReserveStock: ${stockHolds.length - backordered.length} held, ${backordered.length} out of stock ` +
      `(item ${backordered.map((entry) => entry.index).join(', ')}: Mesh.ClientError caught, backordered; the order goes on)`,
  );
  succeeded =
    result.status === 'SUCCEEDED' &&
    chargeAttempts[0]?.outcome === 'Mesh.Unavailable' &&
    chargeKeys.size === 1 &&
    backordered.length === 1 &&
    mesh.inventory.requests.length === stockHolds.length;
} finally {
  const { meshPools } = await import('../shared/invoke/invokeHttp.ts');
  const { grpcMeshPools } = await import('../shared/grpc/invokeGrpc.ts');
  await Promise.all([meshPools.closeAll(), grpcMeshPools.closeAll()]);
  await mesh.stop();
  diverted?.restore();
  if (diverted) print(`\nthe functions' own output (invocation records, log lines): ${diverted.path}`);
}
process.exitCode = succeeded ? 0 : 1;
