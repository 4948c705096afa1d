import type { JsonValue } from '@bufbuild/protobuf';
import type { InvocationMeta } from '../invoke/httpOutput.ts';

/** State output of the gRPC invoker (CONTRACT.md section 3b). */
export interface GrpcOutput {
  ok: true;
  /** The gRPC status code: always 0 (OK) here; every other status is thrown as a Mesh.* error. */
  code: 0;
  /** The response message as proto3 JSON. */
  message: JsonValue;
  /** Allow-listed response metadata (headers and trailers): x-request-id plus the service's responseMetadata. */
  metadata: Record<string, string>;
  meta: InvocationMeta;
}
