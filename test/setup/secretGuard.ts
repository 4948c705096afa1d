/**
 * Suite-wide secret guard: captures everything written to stdout/stderr (Powertools logs go
 * there) and through `console` (which vitest reroutes past process.stdout), and fails the running
 * test if a PEM block, a JWT, a private JWK, a client secret, a bearer or basic credential or a
 * registered secret value shows up; output written in `beforeAll`/`afterAll` hooks fails the file.
 * Outputs and errors of every invocation go through `assertNoSecrets` too (test/support/invokeHandler.ts).
 * test/setup/secretGuard.test.ts proves the guard fails a test that leaks.
 */
import { format } from 'node:util';
import { afterAll, afterEach } from 'vitest';
import { findSecrets } from '../support/findSecrets.ts';
import { captured } from '../support/capturedOutput.ts';

const passThrough = process.env.MESHGATE_TEST_LOGS === '1';
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    captured.lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    // vitest's own reporter output goes through its own channel; test noise is hidden unless asked for.
    return passThrough ? write(chunk, ...rest) : true;
  }) as typeof stream.write;
}

// vitest gives each worker a console that reports over its own channel, not through process.stdout.
for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'] as const) {
  const original = console[method].bind(console) as (...args: unknown[]) => void;
  console[method] = (...args: unknown[]) => {
    captured.lines.push(`${format(...args)}\n`);
    if (passThrough) original(...args);
  };
}

function assertCapturedClean(where: string): void {
  const text = captured.lines.join('');
  captured.lines.length = 0;
  const found = findSecrets(text);
  if (found.length > 0) {
    throw new Error(`Secret material in captured logs${where}: ${[...new Set(found)].join(', ')}`);
  }
}

afterEach(() => assertCapturedClean(''));
afterAll(() => assertCapturedClean(' (written outside a test)'));
