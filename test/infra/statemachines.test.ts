import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { MeshErrorName } from '../../shared/errors/meshErrors.ts';
import { loadSamTemplate } from '../../scripts/workflow/loadSamTemplate.ts';
import { loadStateMachine } from '../../scripts/workflow/loadStateMachine.ts';
import { localDefinitionSubstitutions } from '../../scripts/workflow/localDefinitionSubstitutions.ts';
import { localFunctionArn } from '../../scripts/workflow/localFunctionArn.ts';
import type { StateDefinition, StateMachineDefinition } from '../../scripts/workflow/stateMachineDefinition.ts';

// asl-validator ships no types; it validates schema, JSONPath, JSONata syntax and transitions.
const aslValidator = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

const DIR = new URL('../../infra/statemachines/', import.meta.url);
const FILES = { jsonpath: 'order-fulfilment.jsonpath.asl.json', jsonata: 'order-fulfilment.jsonata.asl.json' } as const;
type Language = keyof typeof FILES;
const LANGUAGES = Object.keys(FILES) as Language[];

async function definitionOf(language: Language): Promise<StateMachineDefinition> {
  return JSON.parse(await readFile(new URL(FILES[language], DIR), 'utf8')) as StateMachineDefinition;
}

/** Every Task state, with whether it runs inside a Map iteration. */
function tasksOf(machine: StateMachineDefinition, inMap = false): Array<{ name: string; state: StateDefinition; inMap: boolean }> {
  return Object.entries(machine.States).flatMap(([name, state]) => [
    ...(state.Type === 'Task' ? [{ name, state, inMap }] : []),
    ...(state.ItemProcessor ? tasksOf(state.ItemProcessor, true) : []),
  ]);
}

/** Task's arguments to lambda:invoke, whatever the query language calls the field. */
const invocationOf = (state: StateDefinition) => (state.Parameters ?? state.Arguments) as { FunctionName: string; Payload: Record<string, any> };

/** The Retry every Task carries (README: "Retry and Catch"). */
const RECOMMENDED_RETRY = [
  { ErrorEquals: ['Mesh.Unavailable', 'Mesh.Timeout'], IntervalSeconds: 1, MaxAttempts: 4, BackoffRate: 2, MaxDelaySeconds: 10, JitterStrategy: 'FULL' },
  { ErrorEquals: ['Mesh.Throttled'], IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 30, JitterStrategy: 'FULL' },
  { ErrorEquals: ['Mesh.CredentialsUnavailable', 'Mesh.IdentityUnavailable'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 10, JitterStrategy: 'FULL' },
  { ErrorEquals: ['Mesh.ServerError'], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 2, MaxDelaySeconds: 10, JitterStrategy: 'FULL' },
  // As AWS recommends for every Lambda task.
  {
    ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
    IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL',
  },
];
/** CONTRACT.md section 4: the names a Retry may name, and the ones only a Catch may. */
const RETRYABLE = ['Mesh.CredentialsUnavailable', 'Mesh.IdentityUnavailable', 'Mesh.Throttled', 'Mesh.Unavailable', 'Mesh.ServerError', 'Mesh.Timeout'];
const REFUSED = ['Mesh.ClientError', 'Mesh.Unauthorized'];

describe('State machines: infra/statemachines', () => {
  describe.each(LANGUAGES)('%s', (language) => {
    it('passes asl-validator as written, placeholders included', async () => {
      const result = aslValidator(await definitionOf(language));
      expect(result.errorsText('\n')).toBe('');
      expect(result.isValid).toBe(true);
    });

    it('passes asl-validator with the invoker ARNs substituted as the template substitutes them', async () => {
      const template = await loadSamTemplate(new URL('../../template.yaml', import.meta.url).pathname);
      const substitutions = localDefinitionSubstitutions(template, 'OrderFulfilmentStateMachine');
      expect(substitutions).toEqual({
        HttpInvokerFunctionArn: localFunctionArn('HttpInvokerFunction'),
        GrpcInvokerFunctionArn: localFunctionArn('GrpcInvokerFunction'),
      });
      const definition = await loadStateMachine(new URL(FILES[language], DIR).pathname, substitutions);
      expect(aslValidator(definition).isValid).toBe(true);
    });

    it('fails asl-validator when broken (the check can fail)', async () => {
      // Prepare: a broken expression in the Charge state, and a transition to nowhere.
      const brokenExpression = await definitionOf(language);
      const payload = invocationOf(brokenExpression.States.Charge!).Payload;
      if (language === 'jsonata') payload.context = '{% $states.context. %}';
      else payload['context.$'] = '$$..[';
      const brokenTransition = await definitionOf(language);
      brokenTransition.States.Charge!.Next = 'Nowhere';

      // Act / Assess
      expect(aslValidator(brokenExpression).errorsText()).toMatch(/Charge/);
      expect(aslValidator(brokenTransition).errorsText()).toMatch(/Nowhere/);
    });

    it('calls the gRPC invoker for stock and the HTTP invoker for the rest, through lambda:invoke, on services of the example catalog', async () => {
      const text = await readFile(new URL(FILES[language], DIR), 'utf8');
      expect([...new Set(text.match(/\$\{[^}]*\}/g))].sort()).toEqual(['${GrpcInvokerFunctionArn}', '${HttpInvokerFunctionArn}']);
      for (const { name, state } of tasksOf(await definitionOf(language))) {
        const grpc = name === 'ReserveStock';
        expect(state.Resource, name).toBe('arn:aws:states:::lambda:invoke');
        expect(invocationOf(state).FunctionName, name).toBe(grpc ? '${GrpcInvokerFunctionArn}' : '${HttpInvokerFunctionArn}');
        expect(invocationOf(state).Payload.service, name).toBe(grpc ? 'inventory' : 'orders');
        // The rpc is one the catalog's inventory entry lists (infra/catalog.example.json and the local mesh's).
        if (grpc) expect(invocationOf(state).Payload.rpc, name).toBe('inventory.v1.Inventory/Reserve');
      }
    });

    it('passes the context object to every task, adding the Map index inside iterations', async () => {
      for (const { name, state, inMap } of tasksOf(await definitionOf(language))) {
        const payload = invocationOf(state).Payload;
        if (!inMap) {
          expect(language === 'jsonata' ? payload.context : payload['context.$'], name).toBe(language === 'jsonata' ? '{% $states.context %}' : '$$');
        } else if (language === 'jsonata') {
          // $states.context has no Map.Item inside an iteration: the index comes from ItemSelector.
          expect(payload.context, name).toMatch(/'State': \$states\.context\.State, 'Map': \{'Item': \{'Index': \$states\.input\.index\}\}/);
        } else {
          expect(payload.context, name).toEqual({ Execution: { 'Id.$': '$$.Execution.Id' }, 'State.$': '$$.State', Map: { Item: { 'Index.$': '$.index' } } });
        }
      }
    });

    it('gives every task the recommended Retry, naming only retryable errors', async () => {
      for (const { name, state } of tasksOf(await definitionOf(language))) {
        expect(state.Retry, name).toEqual(RECOMMENDED_RETRY);
      }
      const names = RECOMMENDED_RETRY.flatMap((retrier) => retrier.ErrorEquals).filter((error) => error.startsWith('Mesh.'));
      expect(names.sort()).toEqual([...RETRYABLE].sort());
      for (const retrier of RECOMMENDED_RETRY) expect(retrier.JitterStrategy).toBe('FULL');
    });

    it('catches only refusals (Mesh.ClientError, Mesh.Unauthorized), never what Retry handles', async () => {
      const caught = tasksOf(await definitionOf(language)).map(({ name, state }) => [name, state.Catch?.map((catcher) => catcher.ErrorEquals)]);
      expect(Object.fromEntries(caught)).toEqual({
        // Out of stock (FAILED_PRECONDITION) backorders the item; Unauthorized stops the execution before the item is reserved.
        ReserveStock: [['Mesh.ClientError']],
        ReserveItem: [REFUSED],
        Charge: [REFUSED],
        Confirm: [REFUSED],
        // A refund the service refuses needs a person: the execution fails there.
        RefundCharge: undefined,
        // Not found or already gone: nothing to release. Unauthorized would be a real problem.
        ReleaseReservation: [['Mesh.ClientError']],
      });
    });

    it('names only errors the invoker throws', async () => {
      const text = await readFile(new URL(FILES[language], DIR), 'utf8');
      const known = new Set<string>(Object.values(MeshErrorName));
      for (const name of new Set(text.match(/Mesh\.[A-Za-z]+/g))) expect(known.has(name), name).toBe(true);
    });
  });

  it('describes the same workflow in both query languages: same tasks, same requests', async () => {
    const requests = async (language: Language) =>
      Object.fromEntries(
        tasksOf(await definitionOf(language)).map(({ name, state }) => {
          const payload = invocationOf(state).Payload;
          const fields = (value: object | undefined) => Object.keys(value ?? {}).map((key) => key.replace(/\.\$$/, ''));
          return [
            name,
            {
              service: payload.service,
              method: payload.method,
              path: payload.path,
              rpc: payload.rpc,
              successStatus: payload.successStatus,
              body: fields(payload.body),
              message: fields(payload.message),
            },
          ];
        }),
      );
    expect(await requests('jsonata')).toEqual(await requests('jsonpath'));
  });
});
