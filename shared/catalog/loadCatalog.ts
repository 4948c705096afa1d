import { ConfigError } from '../errors/meshErrors.ts';
import { createSsmBackedCache } from '../credentials/createSsmBackedCache.ts';
import { fallbackDeadline } from '../credentials/fallbackDeadline.ts';
import { readParameters } from '../credentials/ssmParameterReader.ts';
import type { Deadline } from '../invoke/deadline.ts';
import type { Catalog } from './catalogTypes.ts';
import { parseCatalog } from './parseCatalog.ts';

const catalogs = createSsmBackedCache<Catalog>();
/**
 * The parameter's name, read from the environment when a catalog is loaded, not on every warm
 * invocation: Lambda fixes a sandbox's environment when it starts, and a `process.env` read costs
 * a few µs with the CPU caches cold from the network wait (npm run bench, issue #7).
 */
let catalogParameter: string | undefined;

/**
 * The catalog if a fresh one is cached, synchronously: the warm path, without a promise.
 *
 * @example
 * const catalog = cachedCatalog() ?? (await loadCatalog(deadline));
 */
export function cachedCatalog(): Catalog | undefined {
  return catalogParameter === undefined ? undefined : catalogs.fresh(catalogParameter);
}

/**
 * The parsed catalog from the parameter named by MESHGATE_CATALOG_PARAMETER, read once per
 * cache age (the parse happens only when a new value arrives).
 *
 * @example
 * const catalog = await loadCatalog(deadline);
 */
export async function loadCatalog(deadline: Deadline): Promise<Catalog> {
  const name = process.env.MESHGATE_CATALOG_PARAMETER;
  if (!name) throw new ConfigError('MESHGATE_CATALOG_PARAMETER is not set');
  catalogParameter = name;
  return catalogs.get(name, async (_previous, context) => {
    const values = await readParameters([name], fallbackDeadline(deadline, context));
    const text = values.get(name)?.value;
    if (text === undefined) throw new ConfigError(`Catalog parameter ${name} has no value`);
    return { value: parseCatalog(text) };
  });
}
