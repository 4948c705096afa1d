import { vi } from 'vitest';
import { assertNoSecrets } from './findSecrets.ts';
import { lambdaContext } from './lambdaContext.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * A Lambda sandbox for tests: `coldStart()` imports a fresh copy of the handler module (new
 * module-level caches, pools and tokens, as in a new sandbox); `invoke()` calls it the way the
 * Lambda runtime does and checks the output or error for secrets.
 */
export class Sandbox {
  #handler: Handler | undefined;
  readonly #entry: string;

  constructor(entry = '../../functions/http-invoker/index.ts') {
    this.#entry = entry;
  }

  async coldStart(): Promise<this> {
    vi.resetModules();
    const module = (await import(/* @vite-ignore */ new URL(this.#entry, import.meta.url).href)) as { handler: Handler };
    this.#handler = module.handler;
    return this;
  }

  /**
   * Output on success; throws the handler's error after checking it for secrets. `contextFields`
   * adds to the context what a runtime may pass besides the usual (`xRayTraceId`).
   */
  async invoke(event: unknown, timeoutMs = 30_000, contextFields: Record<string, unknown> = {}): Promise<any> {
    if (!this.#handler) await this.coldStart();
    try {
      const output = await this.#handler!(structuredClone(event), { ...lambdaContext(timeoutMs), ...contextFields });
      assertNoSecrets('output', output);
      return output;
    } catch (error) {
      assertNoSecrets('error', error);
      throw error;
    }
  }

  /** The error the handler throws (fails if it succeeds). */
  async invokeError(event: unknown, timeoutMs?: number): Promise<Error & { name: string }> {
    try {
      await this.invoke(event, timeoutMs);
    } catch (error) {
      return error as Error;
    }
    throw new Error('Expected the invocation to fail');
  }
}

/** The JSON carried in a Mesh error's message. */
export function errorJson(error: Error): Record<string, unknown> {
  return JSON.parse(error.message) as Record<string, unknown>;
}
