import {
  BadResponseError,
  ClientError,
  ServerError,
  ThrottledError,
  TimeoutError,
  UnauthorizedError,
  UnavailableError,
  type MeshError,
  type MeshErrorDetails,
} from '../errors/meshErrors.ts';

/**
 * The contract's error for a non-success status (CONTRACT.md section 4).
 *
 * @example
 * statusError(503, { service: 'orders', status: 503 }) // Mesh.Unavailable
 */
export function statusError(status: number, details: MeshErrorDetails): MeshError {
  const text = `Service answered ${status}`;
  if (status === 401 || status === 403) return new UnauthorizedError(text, details);
  if (status === 408) return new TimeoutError(text, details);
  if (status === 429) return new ThrottledError(text, details);
  if (status === 502 || status === 503 || status === 504) return new UnavailableError(text, details);
  if (status >= 500) return new ServerError(text, details);
  if (status >= 300) return new ClientError(text, details);
  return new BadResponseError(`Service answered ${status}, which successStatus does not list`, details);
}

/** Statuses `onHttpError: "return"` hands back as output rather than throwing. */
export function isReturnableStatus(status: number): boolean {
  return status >= 300 && status < 500 && status !== 408 && status !== 429;
}
