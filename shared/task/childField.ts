import { quoteForMessage } from './quoteForMessage.ts';

const PLAIN_KEY = /^[A-Za-z_$][\w$-]{0,99}$/;

/** The name of a nested field for error messages: `headers.x-tenant`, or `query["a b"]` for odd keys. */
export function childField(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return PLAIN_KEY.test(key) ? `${parent}.${key}` : `${parent}[${quoteForMessage(key)}]`;
}
