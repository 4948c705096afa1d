/** Secret values registered by the running suite (the local mesh's keys, client secrets…). */
const registered = new Set<string>();

export function registerSecrets(values: Iterable<string>): void {
  for (const value of values) if (value.length >= 8) registered.add(value);
}

// Each pattern also matches JSON-escaped forms (`\"d\":\"…`, escaped again per level of nesting), as in an
// error message that carries JSON and is itself logged inside a JSON log line.
const PATTERNS: Array<[string, RegExp]> = [
  ['PEM block', /-----BEGIN [A-Z ]*-----/],
  ['JWT', /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
  ['private JWK', /\\*"d\\*"\s*:\s*\\*"[A-Za-z0-9_-]{20,}/],
  ['client secret', /client[_-]?secret\\*["']?\s*[:=]\s*\\*["']?[A-Za-z0-9._~+/%-]{8,}/i],
  ['bearer credential', /Bearer [A-Za-z0-9._~+/-]{20,}/],
  ['basic credential', /Basic [A-Za-z0-9+/]{16,}={0,2}/],
];

/** Names of the kinds of secret found in `text` (empty when clean). */
export function findSecrets(text: string): string[] {
  const found = PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
  for (const value of registered) if (text.includes(value)) found.push('registered secret value');
  return found;
}

export function assertNoSecrets(what: string, value: unknown): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value, errorFields);
  const found = findSecrets(text ?? '');
  if (found.length) throw new Error(`Secret material in ${what}: ${found.join(', ')}`);
}

function errorFields(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
