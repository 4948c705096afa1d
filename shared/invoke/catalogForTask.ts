import type { Catalog } from '../catalog/catalogTypes.ts';
import { cachedCatalog, loadCatalog } from '../catalog/loadCatalog.ts';
import { withServiceDetail } from '../errors/withServiceDetail.ts';
import type { Deadline } from './deadline.ts';

/**
 * The catalog for one task: as it is when a fresh one is cached (a warm invocation, no promise),
 * loaded otherwise, a failure naming the task's service. Await it either way.
 *
 * @example
 * const catalog = await catalogForTask(task.service, deadline);
 */
export function catalogForTask(serviceName: string, deadline: Deadline): Catalog | Promise<Catalog> {
  return (
    cachedCatalog() ??
    loadCatalog(deadline).catch((error: unknown) => {
      throw withServiceDetail(error, serviceName);
    })
  );
}
