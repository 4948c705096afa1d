import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSecrets } from '../support/findSecrets.ts';

const root = new URL('../..', import.meta.url).pathname;

describe('Function: findSecrets', () => {
  it.each([
    ['a PEM block', '-----BEGIN PRIVATE KEY-----\nMIGHAgEA\n-----END PRIVATE KEY-----', 'PEM block'],
    ['a JWT', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJtZXNoZ2F0ZSJ9.c2lnbmF0dXJlLWJ5dGVz', 'JWT'],
    ['a private JWK', '{"kty":"EC","d":"3q2-7wAAAAAAAAAAAAAAAAAAAAAA"}', 'private JWK'],
    ['a JSON-escaped private JWK', '{"errorMessage":"{\\"d\\":\\"3q2-7wAAAAAAAAAAAAAAAAAAAAAA\\"}"}', 'private JWK'],
    ['a client secret in a form body', 'client_id=x&client_secret=abcdefgh12', 'client secret'],
    ['a client secret in JSON', '{"clientSecret":"abcdefgh12"}', 'client secret'],
    ['a bearer credential', 'authorization: Bearer abcdefghijklmnopqrstuvwxyz', 'bearer credential'],
    ['a basic credential', 'authorization: Basic bWVzaGdhdGUtYmFzaWM6c2VjcmV0', 'basic credential'],
  ])('finds %s', (_what, text, kind) => {
    expect(findSecrets(text)).toContain(kind);
  });

  it.each([
    ['parameter names', '{"parameter":"/meshgate/local/client/key","version":3}'],
    ['the auth mode', '{"auth":"client_secret_basic"}'],
    ['an error without values', '{"message":"Token endpoint refused the client (invalid_client)","status":401}'],
  ])('finds nothing in %s', (_what, text) => {
    expect(findSecrets(text)).toEqual([]);
  });
});

describe('Suite-wide secret guard', () => {
  it('fails each test that leaks a secret into its logs, and only those', () => {
    // Prepare: the fixture runs in a child vitest with the same setup file as the suite
    const out = mkdtempSync(join(tmpdir(), 'meshgate-guard-'));
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    try {
      // Act
      const child = spawnSync(
        process.execPath,
        [vitest, 'run', '--config', 'test/setup/fixtures/vitest.fixture.config.ts', '--reporter=json', `--outputFile=${join(out, 'report.json')}`],
        { cwd: root, encoding: 'utf8', env: { ...process.env, MESHGATE_TEST_LOGS: '0' }, timeout: 60_000 },
      );
      // Assess
      expect(child.status).toBe(1);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
        testResults: Array<{ assertionResults: Array<{ title: string; status: string; failureMessages: string[] }> }>;
      };
      const results = report.testResults.flatMap((file) => file.assertionResults);
      const outcome = Object.fromEntries(results.map((result) => [result.title, result.status]));
      expect(outcome).toEqual({
        'stays clean when it logs names only': 'passed',
        'leaks a PEM private key through the Powertools logger': 'failed',
        'leaks a JWT through console.log': 'failed',
        'leaks a private JWK inside an error message logged as JSON': 'failed',
        'leaks a client secret in a form body written to stderr': 'failed',
        'leaks a registered secret value': 'failed',
      });
      for (const result of results.filter((entry) => entry.status === 'failed')) {
        expect(result.failureMessages.join('\n')).toMatch(/Secret material in captured logs: /);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
