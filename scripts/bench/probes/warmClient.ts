/**
 * Child process of the warm benchmark: holds every variant (floor, invoker bundle, hand-rolled
 * handler) in one process, so they share the CPU, the event loop and the GC, and times batches of
 * calls on command. Its stdout (the invoker's invocation records) goes through a pipe to a file.
 */
import { subscribe } from 'node:diagnostics_channel';
import { loadCatalog } from '../../../shared/catalog/loadCatalog.ts';
import { authenticateCall } from '../../../shared/invoke/authenticateCall.ts';
import { Deadline } from '../../../shared/invoke/deadline.ts';
import { serveBenchCommands } from '../serveBenchCommands.ts';
import type { BenchVariant, VariantName } from '../variants/benchVariant.ts';
import { floorVariant } from '../variants/floorVariant.ts';
import { handRolledVariant } from '../variants/handRolledVariant.ts';
import { invokerVariant } from '../variants/invokerVariant.ts';

const variants = new Map<VariantName, BenchVariant<any>>();

// Time spent inside undici requests (creation to last byte, connection set-up included) during the
// current call; the rest of a call's time is spent in the caller's own code.
const requestStarts = new WeakMap<object, number>();
let undiciMs = 0;
subscribe('undici:request:create', (message) => {
  requestStarts.set((message as { request: object }).request, performance.now());
});
const requestEnded = (message: unknown) => {
  const started = requestStarts.get((message as { request: object }).request);
  if (started !== undefined) undiciMs += performance.now() - started;
};
subscribe('undici:request:trailers', requestEnded);
subscribe('undici:request:error', requestEnded);

serveBenchCommands(
  {
    async setup({ bundlePath, service: serviceName, path }: { bundlePath: string; service: string; path: string }) {
      // The floor's token and credentials, fetched once with the project's own code (outside the bundle).
      const deadline = Deadline.fromRemainingMs(30_000);
      const catalog = await loadCatalog(deadline);
      const service = catalog.services[serviceName]!;
      const { credentials, token } = await authenticateCall(catalog, service, deadline, false);
      const route = { ingressUrl: catalog.ingress.url, authority: service.authority, path, token };
      const identity = catalog.identities[service.identity]!;
      variants.set('floor', floorVariant(route, credentials));
      variants.set('invoker', await invokerVariant(bundlePath, serviceName, route));
      variants.set(
        'handRolled',
        handRolledVariant(route, { cert: identity.tls.certParameter, key: identity.tls.keyParameter, ca: catalog.ingress.caParameter }),
      );
      return { variants: [...variants.keys()] };
    },

    async batch({ variant: name, calls }: { variant: VariantName; calls: number }) {
      const variant = variants.get(name);
      if (!variant) throw new Error(`no variant ${name}`);
      const samples = new Array<number>(calls);
      const outsideUndici = new Array<number>(calls);
      const cpuBefore = process.cpuUsage();
      for (let i = 0; i < calls; i++) {
        const prepared = variant.prepare();
        undiciMs = 0;
        const started = performance.now();
        const status = await variant.run(prepared);
        const elapsed = performance.now() - started;
        samples[i] = elapsed;
        outsideUndici[i] = elapsed - undiciMs;
        if (status !== 200) throw new Error(`${name} call ${i} answered ${status}`);
      }
      const cpu = process.cpuUsage(cpuBefore);
      return { samples, outsideUndici, cpuMicros: cpu.user + cpu.system };
    },
  },
  async () => {
    await Promise.allSettled([...variants.values()].map((variant) => variant.close()));
  },
);
