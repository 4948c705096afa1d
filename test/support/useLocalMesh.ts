import { afterAll, beforeAll } from 'vitest';
import { startLocalMesh, type LocalMesh, type LocalMeshOptions } from '../mesh/startLocalMesh.ts';
import { registerSecrets } from './findSecrets.ts';

/**
 * Starts the local mesh once for the calling test file, points the invoker's environment at it,
 * registers its secrets with the suite-wide guard, and stops it after the file.
 *
 * @example
 * let mesh: LocalMesh;
 * useLocalMesh((started) => (mesh = started));
 */
export function useLocalMesh(onStarted: (mesh: LocalMesh) => void, options?: LocalMeshOptions): void {
  let mesh: LocalMesh | undefined;
  beforeAll(async () => {
    mesh = await startLocalMesh(options);
    Object.assign(process.env, mesh.env);
    registerSecrets(mesh.secrets());
    onStarted(mesh);
  });
  afterAll(async () => {
    await mesh?.stop();
  });
}
