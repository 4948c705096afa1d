import { closeSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the functions' output went, and how to stop diverting it. */
export interface DivertedOutput {
  path: string;
  restore(): void;
}

/**
 * Sends everything written to stdout from now on (the invokers' invocation records and Powertools
 * log lines, as Lambda would send them to CloudWatch Logs) to a file, so a local run's own report
 * stays readable; the caller prints through `print`, which still reaches the terminal.
 *
 * @example
 * const print = terminalPrinter();
 * const diverted = divertFunctionOutput('npm-start');
 * print('trace…'); // terminal; handler output → diverted.path
 */
export function divertFunctionOutput(name: string): DivertedOutput {
  const path = join(tmpdir(), `meshgate-${name}-${process.pid}.log`);
  const file = openSync(path, 'w');
  const original = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
    if (typeof chunk === 'string') writeSync(file, chunk);
    else writeSync(file, chunk);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as typeof process.stdout.write;
  return {
    path,
    restore() {
      process.stdout.write = original;
      closeSync(file);
    },
  };
}

/** Writes lines to the terminal whatever `process.stdout.write` has been replaced by. */
export function terminalPrinter(): (line: string) => void {
  const write = process.stdout.write.bind(process.stdout);
  return (line) => void write(`${line}\n`);
}
