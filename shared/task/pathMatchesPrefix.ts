/**
 * True when `path` (a request target; anything from "?" or "#" on is ignored) lies under the
 * allowed `prefix` on a segment boundary. The comparison is literal, on the encoded form: an
 * encoded letter (`/v1/%6Frders`) or `%2F` does not match, which can only refuse, never widen.
 * A prefix ending in "/" requires that slash; "/" allows every path. Pass a target from
 * `buildRequestTarget`: only that guarantees no dot segment or backslash can climb out afterwards.
 * @example
 * pathMatchesPrefix('/v1/orders/7', '/v1/orders') // true
 * pathMatchesPrefix('/v1/orders?x=1', '/v1/orders') // true
 * pathMatchesPrefix('/v1/ordersX', '/v1/orders') // false
 */
export function pathMatchesPrefix(path: string, prefix: string): boolean {
  if (typeof path !== 'string' || typeof prefix !== 'string' || !prefix.startsWith('/')) return false;
  const end = path.search(/[?#]/);
  const pathOnly = end === -1 ? path : path.slice(0, end);
  if (prefix.endsWith('/')) return pathOnly.startsWith(prefix);
  return pathOnly === prefix || pathOnly.startsWith(`${prefix}/`);
}
