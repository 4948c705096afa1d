import { GrpcStatusCode } from './grpcStatusCode.ts';

/**
 * The gRPC code for an HTTP answer that carries no `grpc-status` (a proxy's own error page, such
 * as nginx's 400 for a refused client certificate), per grpc/doc/http-grpc-status-mapping.md.
 * A 200 without a status is a broken gRPC answer: UNKNOWN.
 */
export function httpStatusToGrpcCode(status: number): GrpcStatusCode {
  switch (status) {
    case 400:
      return GrpcStatusCode.INTERNAL;
    case 401:
      return GrpcStatusCode.UNAUTHENTICATED;
    case 403:
      return GrpcStatusCode.PERMISSION_DENIED;
    case 404:
      return GrpcStatusCode.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcStatusCode.UNAVAILABLE;
    default:
      return GrpcStatusCode.UNKNOWN;
  }
}
