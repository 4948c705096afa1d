/**
 * Reads a field only if the object itself holds it, so a missing field never falls through to
 * `Object.prototype` (`constructor`, `toString`, or anything a polluted prototype carries).
 */
export function ownField(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
