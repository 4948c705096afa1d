import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder (where package.json and node_modules are). */
export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
