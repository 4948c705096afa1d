/**
 * A short, one-line reading of a Step Functions `Cause` for traces: for a meshgate error the
 * invoker's JSON message inside the Lambda error (`503 Service answered 503: upstream overloaded`),
 * else the Lambda error message or the cause itself, cut to `max` characters.
 *
 * @example
 * describeCause('{"errorType":"Mesh.Unavailable","errorMessage":"{\"message\":\"Service answered 503\",\"status\":503}"}')
 * // '503 Service answered 503'
 */
export function describeCause(cause: string, max = 100): string {
  const lambdaError = parseObject(cause);
  const message = typeof lambdaError?.errorMessage === 'string' ? lambdaError.errorMessage : cause;
  const meshError = parseObject(message);
  let text = message;
  if (meshError && typeof meshError.message === 'string') {
    const status = typeof meshError.status === 'number' ? `${meshError.status} ` : '';
    const detail = typeof meshError.detail === 'string' && meshError.detail ? `: ${meshError.detail}` : '';
    text = `${status}${meshError.message}${detail}`;
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
