/**
 * Stores a field as an own data property. Plain assignment of a key like `__proto__` would call
 * the prototype setter instead (changing the object's prototype); defining the property never does.
 */
export function setOwnField<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
