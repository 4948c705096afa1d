import { createHash, randomUUID } from 'node:crypto';
import { StatesError } from '../statesError.ts';

/**
 * The functions Step Functions adds to JSONata (`$parse`, `$uuid`, `$hash`, `$partition`,
 * `$range`), bound into every evaluation. Arguments are checked the way the service does:
 * a bad argument is a `States.QueryEvaluationError`.
 */
export const stepFunctionsFunctions = {
  parse(text: unknown): unknown {
    if (typeof text !== 'string') throw queryError('$parse expects a string');
    try {
      return JSON.parse(text);
    } catch {
      throw queryError('$parse was given a string that is not JSON');
    }
  },
  uuid(): string {
    return randomUUID();
  },
  hash(value: unknown, algorithm: unknown = 'SHA-256'): string {
    const names: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
    const name = typeof algorithm === 'string' ? names[algorithm] : undefined;
    if (typeof value !== 'string' || !name) throw queryError('$hash expects a string and one of MD5, SHA-1, SHA-256, SHA-384, SHA-512');
    return createHash(name).update(value).digest('hex');
  },
  partition(array: unknown, size: unknown): unknown[][] {
    if (!Array.isArray(array) || typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
      throw queryError('$partition expects an array and a positive integer');
    }
    const chunks: unknown[][] = [];
    for (let start = 0; start < array.length; start += size) chunks.push(array.slice(start, start + size));
    return chunks;
  },
  range(start: unknown, end: unknown, step: unknown = 1): number[] {
    if (![start, end, step].every((n) => typeof n === 'number' && Number.isInteger(n)) || step === 0) {
      throw queryError('$range expects integers and a non-zero step');
    }
    const values: number[] = [];
    for (let n = start as number; (step as number) > 0 ? n <= (end as number) : n >= (end as number); n += step as number) values.push(n);
    return values;
  },
};

function queryError(message: string): StatesError {
  return new StatesError('States.QueryEvaluationError', message);
}
