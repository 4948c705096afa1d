import type { HttpMethod } from '../catalog/catalogTypes.ts';

/** A query value; arrays of them become repeated keys. */
export type QueryValue = string | number | boolean;

/** The request body: JSON (sent as application/json) or raw bytes with their content type. */
export type HttpTaskBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; contentType: string; bytes: Buffer };

/** What the invoker reads from the Step Functions context object (`$$`). */
export interface TaskContext {
  executionId?: string;
  stateName?: string;
  retryCount?: number;
  mapIndex?: number;
}

/** A validated HTTP task input (CONTRACT.md section 2), as returned by `parseHttpTask`. */
export interface HttpTask {
  service: string;
  method: HttpMethod;
  /** The path template as given (placeholders unfilled); `buildRequestTarget` fills and encodes it. */
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, QueryValue | QueryValue[]>;
  /** The request target `buildRequestTarget` made of path, pathParams and query: filled, checked, encoded. */
  target: string;
  headers: Record<string, string>;
  body?: HttpTaskBody;
  timeoutMs?: number;
  /** Statuses treated as success; absent means every 2xx. */
  successStatus?: number[];
  onHttpError: 'throw' | 'return';
  idempotencyKey?: string;
  /** RFC 6901 JSON Pointer applied to a JSON response body. */
  select?: string;
  context?: TaskContext;
}
