import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** Which CPU each side of the benchmark runs on; `undefined` = wherever the OS puts it. */
export interface CpuPlacement {
  mesh: number | undefined;
  client: number | undefined;
  /** How the placement was decided, for the report. */
  note: string;
}

/**
 * On a 2-CPU machine the mesh (ingress, orders, IdP, SSM proxy, and moto_server started after
 * this) and the measured client would otherwise preempt each other at random: this process and
 * its future children are pinned to CPU 0, measured processes are started on CPU 1.
 *
 * @example
 * const cpus = placeCpus(true); // before startLocalMesh()
 */
export function placeCpus(pin: boolean): CpuPlacement {
  if (!pin) return { mesh: undefined, client: undefined, note: 'not pinned' };
  if (availableParallelism() < 2) return { mesh: undefined, client: undefined, note: 'not pinned (1 CPU)' };
  try {
    // -a: every thread of this process (libuv and V8 threads too); children inherit it.
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return { mesh: undefined, client: undefined, note: 'not pinned (taskset unavailable)' };
  }
  return { mesh: 0, client: 1, note: 'mesh and moto_server on CPU 0, measured process on CPU 1 (taskset)' };
}
