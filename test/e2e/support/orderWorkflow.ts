import { afterAll, beforeAll, beforeEach, vi } from 'vitest';
import { startLocalMesh, type LocalMesh } from '../../mesh/startLocalMesh.ts';
import { registerSecrets } from '../../support/findSecrets.ts';
import type { JsonValue } from '../../../scripts/workflow/jsonValue.ts';
import { invokeLocalFunction, type LambdaHandler, type LocalInvocation } from '../../../scripts/workflow/invokeLocalFunction.ts';
import { lambdaInvokeAdapter } from '../../../scripts/workflow/lambdaInvokeAdapter.ts';
import { lambdaTaskRunner } from '../../../scripts/workflow/lambdaTaskRunner.ts';
import { loadSamTemplate } from '../../../scripts/workflow/loadSamTemplate.ts';
import { loadStateMachine } from '../../../scripts/workflow/loadStateMachine.ts';
import { localDefinitionSubstitutions } from '../../../scripts/workflow/localDefinitionSubstitutions.ts';
import { localFunctionArn } from '../../../scripts/workflow/localFunctionArn.ts';
import { runWorkflow, type WorkflowResult } from '../../../scripts/workflow/runWorkflow.ts';

export type QueryLanguage = 'jsonpath' | 'jsonata';
export const QUERY_LANGUAGES: QueryLanguage[] = ['jsonpath', 'jsonata'];

export interface OrderInput {
  orderId: string;
  customerId: string;
  amount: number;
  currency: string;
  items: Array<{ sku: string; quantity: number }>;
}

/** An order of `count` items (SKU-0, SKU-1, ...). */
export function orderInput(count = 3, orderId = 'A-17'): OrderInput {
  return {
    orderId,
    customerId: 'C-42',
    amount: 129.9,
    currency: 'EUR',
    items: Array.from({ length: count }, (_, index) => ({ sku: `SKU-${index}`, quantity: (index % 3) + 1 })),
  };
}

export interface OrderWorkflowHarness {
  mesh: LocalMesh;
  /** The HTTP invoker's local ARN. */
  functionArn: string;
  /** The gRPC invoker's local ARN (the ReserveStock states). */
  grpcFunctionArn: string;
  /** Runs infra/statemachines/order-fulfilment.<language>.asl.json on the real invoker. */
  run(language: QueryLanguage, input: OrderInput, options?: { retryDelayMs?: number; executionName?: string }): Promise<WorkflowResult>;
  /** One direct invocation of the HTTP invoker's handler (no state machine), as Lambda's runtime would make it. */
  invokeFunction(event: unknown): Promise<LocalInvocation>;
  /** The current sandbox's HTTP invoker handler (changes with coldStart). */
  invokeHandler(event: unknown, context: Parameters<LambdaHandler>[1]): ReturnType<LambdaHandler>;
  /** Fresh copies of both handler modules, as new Lambda sandboxes would load them (empty caches). */
  coldStart(): Promise<void>;
  /** Clears faults, recorded requests, effects and idempotency records of the orders and inventory workloads. */
  reset(): void;
  stop(): Promise<void>;
}

/**
 * The local mesh plus the real HTTP and gRPC invokers behind the lambda:invoke emulation, ready to
 * run the example workflows with the template's DefinitionSubstitutions. Retry waits are cut to
 * `retryDelayMs` (default 5 ms) so tests take seconds.
 *
 * @example
 * const harness = await startOrderWorkflowHarness();
 * const result = await harness.run('jsonata', orderInput(3));
 */
export async function startOrderWorkflowHarness(): Promise<OrderWorkflowHarness> {
  const mesh = await startLocalMesh();
  registerSecrets(mesh.secrets());
  Object.assign(process.env, mesh.env);
  const functionArn = localFunctionArn('HttpInvokerFunction');
  const grpcFunctionArn = localFunctionArn('GrpcInvokerFunction');
  const template = await loadSamTemplate(new URL('../../../template.yaml', import.meta.url).pathname);
  const substitutions = localDefinitionSubstitutions(template, 'OrderFulfilmentStateMachine');
  let handler: LambdaHandler;
  let grpcHandler: LambdaHandler;
  let closePools: () => Promise<void> = async () => {};
  const coldStart = async () => {
    await closePools();
    vi.resetModules();
    ({ handler } = (await import('../../../functions/http-invoker/index.ts')) as { handler: LambdaHandler });
    ({ handler: grpcHandler } = (await import('../../../functions/grpc-invoker/index.ts')) as { handler: LambdaHandler });
    const { meshPools } = await import('../../../shared/invoke/invokeHttp.ts');
    const { grpcMeshPools } = await import('../../../shared/grpc/invokeGrpc.ts');
    closePools = async () => {
      await Promise.all([meshPools.closeAll(), grpcMeshPools.closeAll()]);
    };
  };
  await coldStart();
  return {
    mesh,
    functionArn,
    grpcFunctionArn,
    coldStart,
    reset() {
      mesh.orders.reset();
      mesh.inventory.reset();
    },
    invokeHandler: (event, context) => handler(event, context),
    invokeFunction: (event) => invokeLocalFunction({ handler: (e, context) => handler(e, context) }, event, 'HttpInvokerFunction'),
    async run(language, input, options = {}) {
      const definition = await loadStateMachine(
        new URL(`../../../infra/statemachines/order-fulfilment.${language}.asl.json`, import.meta.url).pathname,
        substitutions,
      );
      const invoke = lambdaInvokeAdapter({
        [functionArn]: { handler: (event, context) => handler(event, context) },
        [grpcFunctionArn]: { handler: (event, context) => grpcHandler(event, context) },
      });
      return runWorkflow({
        definition,
        input: input as unknown as JsonValue,
        runTask: lambdaTaskRunner(invoke),
        retryDelayMs: options.retryDelayMs ?? 5,
        ...(options.executionName ? { executionName: options.executionName } : {}),
      });
    },
    async stop() {
      await closePools();
      await mesh.stop();
    },
  };
}

/**
 * Starts the harness once for the calling describe block, resets both services before each test
 * (unless `resetEachTest` is false), and stops it afterwards.
 *
 * @example
 * let harness: OrderWorkflowHarness;
 * useOrderWorkflowHarness((started) => (harness = started));
 */
export function useOrderWorkflowHarness(onStarted: (harness: OrderWorkflowHarness) => void, { resetEachTest = true } = {}): void {
  let harness: OrderWorkflowHarness | undefined;
  beforeAll(async () => {
    harness = await startOrderWorkflowHarness();
    onStarted(harness);
  });
  afterAll(async () => {
    await harness?.stop();
  });
  if (resetEachTest) beforeEach(() => harness?.reset());
}
