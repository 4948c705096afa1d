import { describe, expect, it } from 'vitest';
import { grpcStatusError } from '../../shared/grpc/grpcStatusError.ts';
import { httpStatusToGrpcCode } from '../../shared/grpc/httpStatusToGrpcCode.ts';

describe('Function: grpcStatusError', () => {
  it.each([
    [1, 'Mesh.ClientError'], [2, 'Mesh.ServerError'], [3, 'Mesh.ClientError'], [4, 'Mesh.Timeout'],
    [5, 'Mesh.ClientError'], [6, 'Mesh.ClientError'], [7, 'Mesh.Unauthorized'], [8, 'Mesh.Throttled'],
    [9, 'Mesh.ClientError'], [10, 'Mesh.Unavailable'], [11, 'Mesh.ClientError'], [12, 'Mesh.ClientError'],
    [13, 'Mesh.ServerError'], [14, 'Mesh.Unavailable'], [15, 'Mesh.ServerError'], [16, 'Mesh.Unauthorized'],
    [42, 'Mesh.ClientError'],
  ])('maps code %i to %s (CONTRACT.md section 4)', (code, name) => {
    const error = grpcStatusError(code, 'Service answered', { service: 'inventory', detail: 'why' });
    expect(error.name).toBe(name);
    expect(error.details).toEqual({ service: 'inventory', detail: 'why', grpcCode: code });
  });

  it('names the status in the message', () => {
    expect(JSON.parse(grpcStatusError(14, 'Service answered', {}).message).message).toBe('Service answered gRPC status 14 UNAVAILABLE');
    expect(JSON.parse(grpcStatusError(42, 'Service answered', {}).message).message).toBe('Service answered gRPC status 42 CODE_42');
  });
});

describe('Function: httpStatusToGrpcCode', () => {
  it.each([
    [400, 13], [401, 16], [403, 7], [404, 12], [429, 14], [502, 14], [503, 14], [504, 14], [500, 2], [200, 2], [418, 2],
  ])('maps HTTP %i to gRPC %i (http-grpc-status-mapping.md)', (status, code) => {
    expect(httpStatusToGrpcCode(status)).toBe(code);
  });
});
