// Patterns of material that must never leave the invoker in an error `detail`, even when a
// misbehaving service echoes it back (a request dump, a token in an error page).
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g;
const JWT = /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const PRIVATE_JWK_MEMBER = /"(d|p|q|dp|dq|qi|k)"\s*:\s*"[^"]*"/g;

/**
 * Removes PEM blocks, JWTs, bearer/basic credentials, private JWK members and every
 * `knownSecrets` value from `text`.
 *
 * @example
 * redactSecrets('echo: Bearer eyJhbGciOi...') // 'echo: [redacted]'
 */
export function redactSecrets(text: string, knownSecrets: Iterable<string> = []): string {
  let out = text
    .replace(PEM_BLOCK, '[redacted]')
    .replace(BEARER, '[redacted]')
    .replace(JWT, '[redacted]')
    .replace(PRIVATE_JWK_MEMBER, '"$1":"[redacted]"');
  for (const secret of knownSecrets) {
    // Short values would redact ordinary words; real secrets here are long.
    if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  return out;
}
