import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MESHGATE_VERSION } from '../../../shared/invoke/meshgateVersion.ts';

describe('Constant: MESHGATE_VERSION', () => {
  it('equals the version in package.json', async () => {
    // Prepare
    const packageJson = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

    // Act
    const version = MESHGATE_VERSION;

    // Assess
    expect(version).toBe(packageJson.version);
  });
});
