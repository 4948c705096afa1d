import { InvalidTaskError } from '../errors/meshErrors.ts';
import { asInvalidTask } from './asInvalidTask.ts';
import { assertPathTemplate } from './assertPathTemplate.ts';
import { buildRequestTarget } from './buildRequestTarget.ts';
import type { HttpTask } from './httpTask.ts';
import { ownField } from './ownField.ts';
import { parseHttpMethod } from './parseHttpMethod.ts';
import { parseIdempotencyKey } from './parseIdempotencyKey.ts';
import { parseJsonPointer } from './parseJsonPointer.ts';
import { parsePathParams } from './parsePathParams.ts';
import { parseQuery } from './parseQuery.ts';
import { parseServiceName } from './parseServiceName.ts';
import { parseSuccessStatus } from './parseSuccessStatus.ts';
import { parseTaskBody } from './parseTaskBody.ts';
import { parseTaskContext } from './parseTaskContext.ts';
import { parseTaskHeaders } from './parseTaskHeaders.ts';
import { parseTimeoutMs } from './parseTimeoutMs.ts';
import { assertTaskObject } from './assertTaskObject.ts';

const FIELDS = [
  'service', 'method', 'path', 'pathParams', 'query', 'headers', 'body', 'rawBody',
  'timeoutMs', 'successStatus', 'onHttpError', 'idempotencyKey', 'select', 'context',
] as const;

/**
 * Validates an HTTP task input (CONTRACT.md section 2) and returns it typed, defaults applied
 * (method GET, onHttpError "throw"). The path is filled, checked and encoded here too (`target`),
 * so a bad one fails before any I/O and the work is done once. A field whose value is `undefined` counts
 * as absent; `null` is a value like any other (and refused wherever it is not allowed).
 * @example
 * const task = parseHttpTask({ service: 'orders', method: 'POST', path: '/v1/orders/{id}/confirm', pathParams: { id: 'A-17' } });
 * task.target; // '/v1/orders/A-17/confirm'
 * @throws InvalidTaskError for any input that breaks the rules, whatever its shape; it never throws anything else
 */
export function parseHttpTask(input: unknown): HttpTask {
  let service: string | undefined;
  try {
    assertTaskObject(input, FIELDS);
    service = parseServiceName(ownField(input, 'service'));
    const method = parseHttpMethod(ownField(input, 'method'));
    const path = ownField(input, 'path');
    assertPathTemplate(path);
    const pathParams = parsePathParams(ownField(input, 'pathParams'));
    const query = parseQuery(ownField(input, 'query'));
    const task: HttpTask = {
      service,
      method,
      path,
      pathParams,
      query,
      target: buildRequestTarget({ path, pathParams, query }),
      headers: parseTaskHeaders(ownField(input, 'headers')),
      onHttpError: parseOnHttpError(ownField(input, 'onHttpError')),
    };
    const body = parseTaskBody(ownField(input, 'body'), ownField(input, 'rawBody'), method);
    if (body !== undefined) task.body = body;
    const timeoutMs = parseTimeoutMs(ownField(input, 'timeoutMs'));
    if (timeoutMs !== undefined) task.timeoutMs = timeoutMs;
    const successStatus = parseSuccessStatus(ownField(input, 'successStatus'));
    if (successStatus !== undefined) task.successStatus = successStatus;
    const idempotencyKey = parseIdempotencyKey(ownField(input, 'idempotencyKey'));
    if (idempotencyKey !== undefined) task.idempotencyKey = idempotencyKey;
    const select = parseJsonPointer(ownField(input, 'select'));
    if (select !== undefined) task.select = select;
    const context = ownField(input, 'context');
    if (context !== undefined) task.context = parseTaskContext(context);
    return task;
  } catch (error) {
    throw asInvalidTask(error, service);
  }
}

function parseOnHttpError(value: unknown): 'throw' | 'return' {
  if (value === undefined || value === 'throw') return 'throw';
  if (value === 'return') return 'return';
  throw new InvalidTaskError('onHttpError must be "throw" or "return"');
}
