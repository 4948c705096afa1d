import { UnknownServiceError } from '../errors/meshErrors.ts';
import { pathMatchesPrefix } from '../task/pathMatchesPrefix.ts';
import type { Catalog, HttpMethod, ServiceConfig } from './catalogTypes.ts';

/**
 * The catalog entry a task may call: the service must exist, speak HTTP, and allow the method
 * and the (already filled and validated) path.
 *
 * @example
 * const service = resolveHttpService(catalog, 'orders', 'POST', '/v1/orders/A-17/confirm');
 */
export function resolveHttpService(catalog: Catalog, name: string, method: HttpMethod, path: string): ServiceConfig {
  const service = Object.hasOwn(catalog.services, name) ? catalog.services[name] : undefined;
  if (!service) throw new UnknownServiceError(`Service "${name}" is not in the catalog`, { service: name });
  if (service.protocol !== 'http') {
    throw new UnknownServiceError(`Service "${name}" is not an HTTP service`, { service: name });
  }
  if (!service.methods?.includes(method)) {
    throw new UnknownServiceError(`Method ${method} is not allowed for service "${name}"`, { service: name });
  }
  if (!service.paths?.some((prefix) => pathMatchesPrefix(path, prefix))) {
    throw new UnknownServiceError(`Path is not allowed for service "${name}"`, { service: name });
  }
  return service;
}
