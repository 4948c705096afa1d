import { UnknownServiceError } from '../errors/meshErrors.ts';
import type { Catalog, ServiceConfig } from './catalogTypes.ts';

/**
 * The catalog entry a gRPC task may call: the service must exist, speak gRPC, and, when the entry
 * lists `rpcs`, allow the task's `rpc` (`package.Service/Method`, already validated). Decided from
 * the catalog alone, so a refused rpc costs no credentials, token, schema or connection. Whether
 * the method exists and is unary is the schema's business, checked once the schema is loaded.
 *
 * @example
 * const service = resolveGrpcService(catalog, 'inventory', 'inventory.v1.Inventory/Reserve');
 */
export function resolveGrpcService(catalog: Catalog, name: string, rpc: string): ServiceConfig {
  const service = Object.hasOwn(catalog.services, name) ? catalog.services[name] : undefined;
  if (!service) throw new UnknownServiceError(`Service "${name}" is not in the catalog`, { service: name });
  if (service.protocol !== 'grpc') {
    throw new UnknownServiceError(`Service "${name}" is not a gRPC service`, { service: name });
  }
  if (service.rpcs && !service.rpcs.some((allowed) => rpcMatches(rpc, allowed))) {
    throw new UnknownServiceError(`rpc ${rpc} is not allowed for service "${name}"`, { service: name });
  }
  return service;
}

/** `package.Service/Method` matches itself and `package.Service/*`; names are case-sensitive, as in gRPC paths. */
function rpcMatches(rpc: string, allowed: string): boolean {
  if (!allowed.endsWith('/*')) return rpc === allowed;
  return rpc.startsWith(allowed.slice(0, -1)) && !rpc.slice(allowed.length - 1).includes('/');
}
