import { spawn } from 'node:child_process';

/** A child process started under an `sh` guard script that ends it when our end of its stdin closes. */
export interface GuardedProcess {
  /** The last 2,000 characters the process printed, for a failed start. */
  outputTail(): string;
  exited(): boolean;
  /** Closes stdin (the guard then ends the process) and waits; SIGKILLs the guard after 2 s. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts `sh -c guardScript name ...args`. The guard kills its child as soon as stdin closes: on
 * stop(), and also when this process dies in any way (even SIGKILL), so nothing is ever orphaned.
 * Output is drained (servers log every request) and only its tail kept.
 *
 * @example
 * const moto = spawnGuarded(guardScript, 'moto-guard', ['-H', '127.0.0.1', '-p', String(port)]);
 */
export function spawnGuarded(guardScript: string, name: string, args: readonly string[]): GuardedProcess {
  const child = spawn('sh', ['-c', guardScript, name, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let tail = '';
  const keepTail = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-2000);
  };
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);
  child.stdin.on('error', () => {});
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (error) => {
      tail += `\n${error.message}`;
      exited = true;
      resolve();
    });
  });
  let stopping: Promise<void> | undefined;
  return {
    outputTail: () => tail,
    exited: () => exited,
    stop() {
      stopping ??= (async () => {
        if (exited) return;
        child.stdin.end();
        // Only the guard can be killed from here; it is the last resort if the guard itself hangs.
        const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exitedPromise;
        clearTimeout(killer);
      })();
      return stopping;
    },
  };
}
