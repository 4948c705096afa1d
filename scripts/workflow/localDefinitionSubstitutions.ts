import type { SamTemplate } from './loadSamTemplate.ts';
import { localFunctionArn } from './localFunctionArn.ts';

/**
 * A state machine's `DefinitionSubstitutions` from the template, as local runs substitute them:
 * `!GetAtt <Function>.Arn` becomes the function's local ARN (`!Ref <Function>` its name), so the local
 * runners call exactly the functions a deployment would; a plain string stays as it is. Any other
 * value (an import, a parameter) needs a deployed stack and is refused.
 *
 * @example
 * const substitutions = localDefinitionSubstitutions(await loadSamTemplate('template.yaml'), 'OrderFulfilmentStateMachine');
 * substitutions.GrpcInvokerFunctionArn // 'arn:aws:lambda:us-east-1:123456789012:function:GrpcInvokerFunction'
 */
export function localDefinitionSubstitutions(template: SamTemplate, stateMachineLogicalId: string): Record<string, string> {
  const machine = template.Resources?.[stateMachineLogicalId];
  if (machine?.Type !== 'AWS::Serverless::StateMachine') {
    throw new Error(`${stateMachineLogicalId} is not an AWS::Serverless::StateMachine of the template`);
  }
  const substitutions: Record<string, string> = {};
  for (const [name, value] of Object.entries((machine.Properties?.DefinitionSubstitutions ?? {}) as Record<string, unknown>)) {
    substitutions[name] = localValue(template, name, value);
  }
  return substitutions;
}

function localValue(template: SamTemplate, name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = (value ?? {}) as { 'Fn::GetAtt'?: unknown; Ref?: unknown };
  const getAtt = intrinsic['Fn::GetAtt'];
  const isFunction = (id: unknown): id is string => typeof id === 'string' && template.Resources?.[id]?.Type === 'AWS::Serverless::Function';
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && isFunction(getAtt[0])) return localFunctionArn(getAtt[0]);
  // A function's Ref is its name; local runs name each function after its logical id.
  if (isFunction(intrinsic.Ref)) return intrinsic.Ref;
  throw new Error(`DefinitionSubstitutions.${name} is neither a string nor a function's ARN; local runs cannot resolve it`);
}
