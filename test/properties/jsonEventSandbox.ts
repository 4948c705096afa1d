import { vi } from 'vitest';
import { assertNoSecrets } from '../support/findSecrets.ts';
import { lambdaContext } from '../support/lambdaContext.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** How one invocation ended: the output, or what the handler threw (anything at all). */
export type InvocationResult = { output: unknown } | { thrown: unknown };

/**
 * A Lambda sandbox fed the way the Lambda runtime feeds it: the event arrives as JSON text and is
 * parsed, never cloned (structuredClone and JSON.stringify overflow on nesting JSON.parse accepts),
 * and the output must serialize back to JSON. Like test/support/invokeHandler.ts, every output and
 * error is scanned for secrets.
 *
 * @example
 * const sandbox = await new JsonEventSandbox().coldStart();
 * const result = await sandbox.invoke('{"service":"orders","path":"/v1/orders/7"}');
 */
export class JsonEventSandbox {
  #handler: Handler | undefined;

  async coldStart(): Promise<this> {
    vi.resetModules();
    const module = (await import(new URL('../../functions/http-invoker/index.ts', import.meta.url).href)) as { handler: Handler };
    this.#handler = module.handler;
    return this;
  }

  /** Never rejects: the result says whether the handler returned or threw. */
  async invoke(eventText: string, timeoutMs = 30_000): Promise<InvocationResult> {
    if (!this.#handler) await this.coldStart();
    const event: unknown = JSON.parse(eventText);
    let output: unknown;
    try {
      output = await this.#handler!(event, lambdaContext(timeoutMs));
    } catch (thrown) {
      assertNoSecrets('error', thrown);
      return { thrown };
    }
    // The runtime answers Step Functions with the output's JSON; one that cannot serialize is a failure too.
    JSON.stringify(output);
    assertNoSecrets('output', output);
    return { output };
  }
}
