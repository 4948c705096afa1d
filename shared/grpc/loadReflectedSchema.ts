import type { FileRegistry } from '@bufbuild/protobuf';
import { cacheMaxAgeMs, outageGraceMs } from '../credentials/cacheSettings.ts';
import { RefreshingCache } from '../credentials/refreshingCache.ts';
import { AttemptFailure } from '../transport/attemptFailure.ts';
import { createSchemaRegistry } from './createSchemaRegistry.ts';
import { fetchReflectedFiles, type ReflectionCall } from './fetchReflectedFiles.ts';
import { GrpcStatusCode } from './grpcStatusCode.ts';
import { GrpcStatusFailure } from './grpcStatusFailure.ts';

const OUTAGE_KINDS: ReadonlySet<string> = new Set(['stale', 'unreachable', 'cut', 'timeout']);
const OUTAGE_CODES: ReadonlySet<number> = new Set([GrpcStatusCode.UNAVAILABLE, GrpcStatusCode.DEADLINE_EXCEEDED]);

const schemas = new RefreshingCache<FileRegistry>({
  maxAgeMs: cacheMaxAgeMs,
  graceMs: outageGraceMs,
  // The service being briefly unreachable must not fail calls that a cached schema can serve.
  isOutage: (error) =>
    (error instanceof AttemptFailure && OUTAGE_KINDS.has(error.kind)) ||
    (error instanceof GrpcStatusFailure && OUTAGE_CODES.has(error.reply.code)),
});

/**
 * The schema of gRPC service `symbol` from server reflection through the ingress, cached like
 * credentials (MESHGATE_CACHE_SECONDS, single-flight, served stale while the service is briefly
 * unreachable). `cacheKey` names the endpoint (ingress, authority), so two services never share one.
 *
 * @example
 * const registry = await loadReflectedSchema(`${ingress}\n${authority}`, 'inventory.v1.Inventory', call);
 */
export function loadReflectedSchema(cacheKey: string, symbol: string, call: ReflectionCall): Promise<FileRegistry> {
  return schemas.get(`${cacheKey}\n${symbol}`, async () => ({
    value: createSchemaRegistry(await fetchReflectedFiles(symbol, call)),
  }));
}
