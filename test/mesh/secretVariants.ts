/**
 * The forms a private key PEM can take once it leaks: whole, JSON-escaped (one line per body line),
 * or stripped of its armour. Leak scanners look for each; the base64 body lines all carry key bytes.
 *
 * @example
 * secrets.push(...secretVariants(keyPem));
 */
export function secretVariants(pem: string): string[] {
  const body = pem
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('-----'));
  return [pem.trim(), body.join(''), ...body.filter((line) => line.length >= 16)];
}
