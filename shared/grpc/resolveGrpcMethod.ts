import type { DescMethod, FileRegistry } from '@bufbuild/protobuf';
import { UnknownServiceError } from '../errors/meshErrors.ts';

/**
 * The method `rpc` (`package.Service/Method`) names in the service's schema; it must exist and be
 * unary (the invoker makes one request and expects one answer).
 *
 * @example
 * const method = resolveGrpcMethod(registry, 'inventory.v1.Inventory/Reserve', 'inventory');
 * method.input.typeName // 'inventory.v1.ReserveRequest'
 */
export function resolveGrpcMethod(registry: FileRegistry, rpc: string, service: string): DescMethod {
  const [serviceName = '', methodName = ''] = rpc.split('/');
  const grpcService = registry.getService(serviceName);
  if (!grpcService) throw new UnknownServiceError(`gRPC service ${serviceName} is not in the schema of "${service}"`, { service });
  const method = grpcService.methods.find((candidate) => candidate.name === methodName);
  if (!method) throw new UnknownServiceError(`gRPC method ${rpc} is not in the schema of "${service}"`, { service });
  if (method.methodKind !== 'unary') {
    throw new UnknownServiceError(`gRPC method ${rpc} is ${method.methodKind.replace('_', ' ')}; the invoker makes unary calls only`, { service });
  }
  return method;
}
