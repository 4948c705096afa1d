const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? +\d{1,2}[ -][A-Za-z]{3}[ -]\d{2,4} \d{2}:\d{2}:\d{2} GMT$|^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Za-z]{3} +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * Retry-After in seconds, from either form RFC 9110 allows (delay-seconds or an HTTP-date).
 *
 * @example
 * parseRetryAfter('2') // 2
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  // Only the HTTP-date forms (IMF-fixdate and the obsolete RFC 850 / asctime): Date.parse
  // alone would read junk such as "-1" or "1.5" as a date.
  if (!HTTP_DATE.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
