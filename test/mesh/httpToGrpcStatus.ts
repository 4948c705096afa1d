/**
 * The gRPC status Envoy puts in a local reply to a gRPC request (Grpc::Utility::httpToGrpcStatus):
 * 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 UNIMPLEMENTED, 429/502/503/504 UNAVAILABLE,
 * 400 INTERNAL, anything else UNKNOWN. Kept apart from the invoker's own mapping on purpose: the
 * mesh stand-in must not share code with what it tests.
 */
export function httpToGrpcStatus(status: number): number {
  const mapped: Record<number, number> = { 400: 13, 401: 16, 403: 7, 404: 12, 429: 14, 502: 14, 503: 14, 504: 14 };
  return mapped[status] ?? 2;
}
