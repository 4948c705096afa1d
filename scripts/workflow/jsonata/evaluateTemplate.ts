import jsonata from 'jsonata';
import type { JsonValue } from '../jsonValue.ts';
import { StatesError } from '../statesError.ts';
import { stepFunctionsFunctions } from './stepFunctionsFunctions.ts';

const EXPRESSION = /^\{%([\s\S]*)%\}$/;
const compiled = new Map<string, ReturnType<typeof jsonata>>();

/**
 * Evaluates a JSONata-mode field: every string of the form `{% expression %}` (anywhere inside
 * objects and arrays) is replaced by the expression's value; every other value is kept as written.
 * `bindings` holds `states` (`$states.input`, `.context`, `.result`, `.errorOutput`) and the
 * workflow variables. An expression that fails, or yields nothing, is `States.QueryEvaluationError`,
 * as in Step Functions.
 *
 * @example
 * await evaluateTemplate({ id: '{% $states.input.orderId %}' }, { states: { input: { orderId: 'A-17' } } }, 'Arguments')
 * // { id: 'A-17' }
 */
export async function evaluateTemplate(template: JsonValue, bindings: Record<string, unknown>, field: string): Promise<JsonValue> {
  if (typeof template === 'string') {
    const match = EXPRESSION.exec(template);
    return match ? evaluateExpression(match[1]!, bindings, field) : template;
  }
  if (Array.isArray(template)) {
    const values: JsonValue[] = [];
    for (const [index, item] of template.entries()) values.push(await evaluateTemplate(item, bindings, `${field}[${index}]`));
    return values;
  }
  if (template !== null && typeof template === 'object') {
    const result: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(template)) result[key] = await evaluateTemplate(value, bindings, `${field}.${key}`);
    return result;
  }
  return template;
}

async function evaluateExpression(source: string, bindings: Record<string, unknown>, field: string): Promise<JsonValue> {
  let value: unknown;
  try {
    let expression = compiled.get(source);
    if (!expression) {
      expression = jsonata(source);
      compiled.set(source, expression);
    }
    value = await expression.evaluate(undefined, { ...stepFunctionsFunctions, ...bindings });
  } catch (error) {
    if (error instanceof StatesError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StatesError('States.QueryEvaluationError', `The JSONata expression of field ${field} failed: ${reason}`);
  }
  if (value === undefined) {
    throw new StatesError('States.QueryEvaluationError', `The JSONata expression of field ${field} returned nothing (undefined)`);
  }
  if (typeof value === 'function') {
    throw new StatesError('States.QueryEvaluationError', `The JSONata expression of field ${field} returned a function`);
  }
  // JSONata sequences are arrays with extra flags: a JSON round trip makes them plain data.
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
