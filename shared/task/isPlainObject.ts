/**
 * True for the objects JSON input is made of. Arrays, class instances (Buffer, Date, Map) and
 * boxed values are refused, so a field typed "object" holds nothing but own data properties.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
