import type { IncomingHttpHeaders } from 'node:http';

/** Response headers copied to state output unless the service entry adds more. */
export const DEFAULT_RESPONSE_HEADERS = ['content-type', 'etag', 'location', 'retry-after', 'x-request-id'] as const;

/**
 * The allow-listed response headers, as strings (repeated headers joined with ", ").
 * An allow-list, because headers such as set-cookie can carry secrets.
 */
export function pickResponseHeaders(headers: IncomingHttpHeaders, extra: readonly string[] = []): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of DEFAULT_RESPONSE_HEADERS) pick(headers, name, picked);
  for (const name of extra) pick(headers, name, picked);
  return picked;
}

function pick(headers: IncomingHttpHeaders, name: string, picked: Record<string, string>): void {
  if (!Object.hasOwn(headers, name)) return;
  const value = headers[name];
  if (value !== undefined) picked[name] = Array.isArray(value) ? value.join(', ') : String(value);
}
