/**
 * Suite-wide secret guard: captures everything written to stdout/stderr (Powertools logs go
 * there) and fails the running test if a PEM block, a JWT, a private JWK member or a
 * registered secret value shows up. Outputs and errors go through `assertNoSecrets` too
 * (see test/support/invokeHandler.ts).
 */
import { afterEach } from 'vitest';
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

afterEach(() => {
  const text = captured.lines.join('');
  captured.lines.length = 0;
  const found = findSecrets(text);
  if (found.length > 0) {
    throw new Error(`Secret material in captured logs: ${found.join(', ')}`);
  }
});
