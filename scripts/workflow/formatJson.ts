/**
 * JSON for people: like `JSON.stringify(value, null, 2)`, but any object or array that fits in
 * `width` columns stays on one line, so a list of records reads one record per line.
 *
 * @example
 * formatJson({ orderId: 'A-17', items: [{ sku: 'B-2' }, { sku: 'K-9' }] }, 30)
 */
export function formatJson(value: unknown, width = 120, indent = 0): string {
  const flat = JSON.stringify(value) ?? 'null';
  if (value === null || typeof value !== 'object' || indent + flat.length <= width) return flat;
  const pad = ' '.repeat(indent + 2);
  const close = `\n${' '.repeat(indent)}`;
  if (Array.isArray(value)) {
    return `[\n${value.map((item) => pad + formatJson(item, width, indent + 2)).join(',\n')}${close}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  return `{\n${entries.map(([key, item]) => `${pad}${JSON.stringify(key)}: ${formatJson(item, width, indent + 2)}`).join(',\n')}${close}}`;
}
