import { BadResponseError } from '../errors/meshErrors.ts';

/**
 * RFC 6901 JSON Pointer evaluation; a pointer that finds nothing is `Mesh.BadResponse`
 * (the state expected data that is not there).
 *
 * @example
 * selectJsonPointer({ data: { order: { id: 1 } } }, '/data/order') // { id: 1 }
 */
export function selectJsonPointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let current: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(token) || Number(token) >= current.length) return notFound(pointer);
      current = current[Number(token)];
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return notFound(pointer);
    }
  }
  return current;
}

function notFound(pointer: string): never {
  throw new BadResponseError(`select ${JSON.stringify(pointer.slice(0, 100))} found nothing in the response`);
}
