import { recordInvocation, type InvocationRecord } from '../../../shared/invoke/recordInvocation.ts';
import { VariantName, type BenchVariant } from './benchVariant.ts';
import type { FloorCall } from './floorVariant.ts';

/** What the invoker's record says about a warm call of the benchmark route, minus what differs per call. */
export type RecordTemplate = Pick<InvocationRecord, 'service' | 'method' | 'pathTemplate' | 'identity' | 'credentialVersion'>;

/**
 * The floor plus the invocation record (CONTRACT.md: one line per invocation, written before the
 * handler returns): after each call, `recordInvocation` formats and writes the line the invoker
 * writes for it (the request id and trace header of the call, its status and duration), inside
 * the timed region as in the invoker.
 *
 * @example
 * const reference = floorWithRecordVariant(floorVariant(route, credentials), { service: 'orders', method: 'GET', ... });
 */
export function floorWithRecordVariant(
  floor: BenchVariant<FloorCall>,
  template: RecordTemplate,
): BenchVariant<FloorCall> {
  return {
    name: VariantName.FloorWithRecord,
    prepare: () => floor.prepare(),
    async run(call) {
      const startedAt = performance.now();
      const status = await floor.run(call);
      recordInvocation({
        ...template,
        requestId: call.headers['x-request-id'],
        amznTraceId: call.amznTraceId,
        attempts: 1,
        status,
        durationMs: Math.round(performance.now() - startedAt),
      });
      return status;
    },
    close: () => floor.close(),
  };
}
