import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSamTemplate } from '../../../scripts/workflow/loadSamTemplate.ts';
import { localDefinitionSubstitutions } from '../../../scripts/workflow/localDefinitionSubstitutions.ts';
import { localFunctionArn } from '../../../scripts/workflow/localFunctionArn.ts';

const templatePath = fileURLToPath(new URL('../../../template.yaml', import.meta.url));

/** A template with one state machine whose substitutions are `substitutions`. */
const templateWith = (substitutions: Record<string, unknown>) => ({
  Resources: {
    Invoker: { Type: 'AWS::Serverless::Function', Properties: {} },
    Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    Machine: { Type: 'AWS::Serverless::StateMachine', Properties: { DefinitionSubstitutions: substitutions } },
  },
});

describe('Function: localDefinitionSubstitutions', () => {
  it("maps template.yaml's order-fulfilment substitutions to both invokers' local ARNs", async () => {
    const template = await loadSamTemplate(templatePath);
    expect(localDefinitionSubstitutions(template, 'OrderFulfilmentStateMachine')).toEqual({
      HttpInvokerFunctionArn: localFunctionArn('HttpInvokerFunction'),
      GrpcInvokerFunctionArn: localFunctionArn('GrpcInvokerFunction'),
    });
  });

  it("keeps strings and gives a function's Ref as its name", () => {
    const template = templateWith({ Name: 'fixed', ByRef: { Ref: 'Invoker' } });
    expect(localDefinitionSubstitutions(template, 'Machine')).toEqual({ Name: 'fixed', ByRef: 'Invoker' });
  });

  it.each([
    ['an ARN of a resource that is not a function', { 'Fn::GetAtt': ['Queue', 'Arn'] }],
    ['another attribute of a function', { 'Fn::GetAtt': ['Invoker', 'SnapStartConfig'] }],
    ['an import', { 'Fn::ImportValue': 'other-stack-Arn' }],
  ])('refuses %s, which only a deployed stack resolves', (_what, value) => {
    expect(() => localDefinitionSubstitutions(templateWith({ Target: value }), 'Machine')).toThrow(
      'DefinitionSubstitutions.Target is neither a string nor a function\'s ARN; local runs cannot resolve it',
    );
  });

  it('refuses a logical id that is not a state machine', () => {
    expect(() => localDefinitionSubstitutions(templateWith({}), 'Invoker')).toThrow('Invoker is not an AWS::Serverless::StateMachine of the template');
  });
});
