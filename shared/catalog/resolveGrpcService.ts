import { UnknownServiceError } from '../errors/meshErrors.ts';
import type { Catalog, ServiceConfig } from './catalogTypes.ts';

/**
 * The catalog entry a gRPC task may call: the service must exist and speak gRPC. Which methods it
 * has is the schema's business (descriptor set or reflection), checked once the schema is loaded.
 *
 * @example
 * const service = resolveGrpcService(catalog, 'inventory');
 */
export function resolveGrpcService(catalog: Catalog, name: string): ServiceConfig {
  const service = Object.hasOwn(catalog.services, name) ? catalog.services[name] : undefined;
  if (!service) throw new UnknownServiceError(`Service "${name}" is not in the catalog`, { service: name });
  if (service.protocol !== 'grpc') {
    throw new UnknownServiceError(`Service "${name}" is not a gRPC service`, { service: name });
  }
  return service;
}
