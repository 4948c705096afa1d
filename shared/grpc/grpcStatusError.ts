import {
  ClientError,
  ServerError,
  ThrottledError,
  TimeoutError,
  UnauthorizedError,
  UnavailableError,
  type MeshError,
  type MeshErrorDetails,
} from '../errors/meshErrors.ts';
import { GrpcStatusCode, grpcStatusName } from './grpcStatusCode.ts';

/**
 * The contract's error for a non-OK gRPC status (CONTRACT.md section 4): UNAVAILABLE and ABORTED →
 * Mesh.Unavailable, DEADLINE_EXCEEDED → Mesh.Timeout, RESOURCE_EXHAUSTED → Mesh.Throttled,
 * UNAUTHENTICATED and PERMISSION_DENIED → Mesh.Unauthorized, INTERNAL, UNKNOWN, DATA_LOSS →
 * Mesh.ServerError, the rest → Mesh.ClientError.
 *
 * @example
 * grpcStatusError(14, 'Service answered', { service: 'inventory', grpcCode: 14 }) // Mesh.Unavailable
 */
export function grpcStatusError(code: number, what: string, details: MeshErrorDetails): MeshError {
  const text = `${what} gRPC status ${code} ${grpcStatusName(code)}`;
  const withCode = { ...details, grpcCode: code };
  switch (code) {
    case GrpcStatusCode.UNAVAILABLE:
    case GrpcStatusCode.ABORTED:
      return new UnavailableError(text, withCode);
    case GrpcStatusCode.DEADLINE_EXCEEDED:
      return new TimeoutError(text, withCode);
    case GrpcStatusCode.RESOURCE_EXHAUSTED:
      return new ThrottledError(text, withCode);
    case GrpcStatusCode.UNAUTHENTICATED:
    case GrpcStatusCode.PERMISSION_DENIED:
      return new UnauthorizedError(text, withCode);
    case GrpcStatusCode.INTERNAL:
    case GrpcStatusCode.UNKNOWN:
    case GrpcStatusCode.DATA_LOSS:
      return new ServerError(text, withCode);
    default:
      return new ClientError(text, withCode);
  }
}
