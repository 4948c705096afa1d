import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface BenchChildOptions {
  /** The child's whole environment. */
  env: NodeJS.ProcessEnv;
  /**
   * The child's stdout (invocation records) ends up here. Through a pipe drained by `cat`, as
   * Lambda collects a function's stdout through a pipe: a file would take every write without
   * waking a reader, as Lambda's pipe does, and draining it in this process would slow the mesh
   * that runs here. (libuv makes the pipe a Unix socket pair where Lambda's runtime has a pipe(2);
   * a FIFO in its place measured the same.)
   */
  stdoutPath: string;
  /** CPU to pin the child to with taskset, or undefined to leave it free. */
  cpu: number | undefined;
  /** Extra node flags (`--expose-gc`). */
  execArgv?: readonly string[];
}

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

/**
 * A measured Node.js process (a fresh "sandbox") that the benchmark drives over IPC: `call`
 * sends one command to the handlers the child registered with `serveBenchCommands` and resolves
 * to its result. Commands run between timed loops only, never inside one.
 *
 * @example
 * const child = await BenchChild.spawn(script, { env, stdoutPath: '/dev/null', cpu: 1 });
 * const samples = await child.call<number[]>('batch', { variant: 'floor', calls: 100 });
 * await child.close();
 */
export class BenchChild {
  readonly #process: ChildProcess;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  readonly #exited: Promise<void>;
  #nextId = 1;
  /** Resolves once everything the child wrote to stdout is in the file. */
  #stdoutClosed: Promise<void> = Promise.resolve();
  #stderrTail = '';

  private constructor(child: ChildProcess) {
    this.#process = child;
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    child.on('message', (message: Reply) => {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (message.error !== undefined) pending.reject(new Error(message.error));
      else pending.resolve(message.result);
    });
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        const failure = new Error(`bench child exited (${signal ?? code}) before answering: ${this.#stderrTail.trim()}`);
        for (const pending of this.#pending.values()) pending.reject(failure);
        this.#pending.clear();
        resolve();
      });
    });
  }

  static spawn(script: string, options: BenchChildOptions): BenchChild {
    const node = [process.execPath, ...(options.execArgv ?? []), script];
    const [command, ...args] = options.cpu === undefined ? node : ['taskset', '-c', String(options.cpu), ...node];
    const file = openSync(options.stdoutPath, 'w');
    let drain: ChildProcess;
    try {
      drain = spawn('cat', { stdio: ['pipe', file, 'ignore'] });
    } finally {
      closeSync(file);
    }
    const child = spawn(command!, args, { env: options.env, stdio: ['ignore', drain.stdin!, 'pipe', 'ipc'] });
    // The child holds the pipe now; cat ends when the child exits.
    drain.stdin!.destroy();
    const bench = new BenchChild(child);
    bench.#stdoutClosed = new Promise((resolve) => drain.once('exit', () => resolve()));
    return bench;
  }

  call<T>(command: string, params: unknown = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#process.send({ id, command, params }, (error) => {
        if (error) {
          this.#pending.delete(id);
          reject(error);
        }
      });
    });
  }

  /** Lets the child finish (it exits when the IPC channel closes); kills it after a grace period. */
  async close(): Promise<void> {
    if (this.#process.exitCode === null && this.#process.signalCode === null) {
      if (this.#process.connected) this.#process.disconnect();
      const killer = setTimeout(() => this.#process.kill('SIGKILL'), 5_000);
      await this.#exited;
      clearTimeout(killer);
    }
    await this.#stdoutClosed;
  }
}
