import { setOwnField } from '../task/setOwnField.ts';

/** Response metadata copied to state output unless the service entry adds more. */
export const DEFAULT_RESPONSE_METADATA = ['x-request-id'] as const;

/**
 * The allow-listed response metadata (initial and trailing, merged). An allow-list, because
 * metadata can carry anything, secrets included.
 *
 * @example
 * pickResponseMetadata({ 'x-request-id': 'r1', 'set-cookie': 's' }, ['x-stock']) // { 'x-request-id': 'r1' }
 */
export function pickResponseMetadata(metadata: Record<string, string>, extra: readonly string[] = []): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of [...DEFAULT_RESPONSE_METADATA, ...extra]) {
    if (Object.hasOwn(metadata, key)) setOwnField(picked, key, metadata[key]!);
  }
  return picked;
}
