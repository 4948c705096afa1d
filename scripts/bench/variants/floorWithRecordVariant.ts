import { recordInvocation, type InvocationRecord } from '../../../shared/invoke/recordInvocation.ts';
import { VariantName, type BenchVariant } from './benchVariant.ts';

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
  floor: BenchVariant<Record<string, string>>,
  template: RecordTemplate,
): BenchVariant<Record<string, string>> {
  return {
    name: VariantName.FloorWithRecord,
    prepare: () => floor.prepare(),
    async run(headers) {
      const startedAt = performance.now();
      const status = await floor.run(headers);
      recordInvocation({
        ...template,
        requestId: headers['x-request-id'],
        amznTraceId: process.env._X_AMZN_TRACE_ID,
        attempts: 1,
        status,
        durationMs: Math.round(performance.now() - startedAt),
      });
      return status;
    },
    close: () => floor.close(),
  };
}
