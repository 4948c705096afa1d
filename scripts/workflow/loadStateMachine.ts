import { readFile } from 'node:fs/promises';
import type { StateMachineDefinition } from './stateMachineDefinition.ts';

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/**
 * Reads an `.asl.json` file and replaces its `${Name}` placeholders as CloudFormation does with
 * `DefinitionSubstitutions`; a placeholder without a substitution is an error, as in a deployment.
 *
 * @example
 * const definition = await loadStateMachine('infra/statemachines/order-fulfilment.jsonpath.asl.json', {
 *   HttpInvokerFunctionArn: localFunctionArn('HttpInvokerFunction'),
 * });
 */
export async function loadStateMachine(path: string, substitutions: Record<string, string>): Promise<StateMachineDefinition> {
  const text = await readFile(path, 'utf8');
  const missing = new Set<string>();
  const substituted = text.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = substitutions[name];
    if (value === undefined) missing.add(name);
    // Substituted inside JSON strings: keep the JSON valid whatever the value holds.
    return value === undefined ? placeholder : JSON.stringify(value).slice(1, -1);
  });
  if (missing.size) throw new Error(`${path}: no substitution for ${[...missing].map((name) => `\${${name}}`).join(', ')}`);
  return JSON.parse(substituted) as StateMachineDefinition;
}
