/**
 * Child process of the warm benchmark: holds one variant (floor, invoker bundle, hand-rolled
 * handler or a reference), as a Lambda sandbox holds one function, and times batches of calls on command. One
 * process per variant: sharing a heap, the hand-rolled handler's garbage (an SDK request, an
 * Agent and a TLS connection per call) was collected during whichever variant allocated next.
 * Its stdout (invocation records, where the variant writes them) goes through a pipe to a file.
 */
import { subscribe } from 'node:diagnostics_channel';
import { serveBenchCommands } from '../serveBenchCommands.ts';
import type { BenchVariant, VariantName } from '../variants/benchVariant.ts';
import { floorVariant } from '../variants/floorVariant.ts';
import { floorWithRecordVariant } from '../variants/floorWithRecordVariant.ts';
import { handRolledVariant } from '../variants/handRolledVariant.ts';
import { invokerVariant } from '../variants/invokerVariant.ts';

let variant: BenchVariant<any> | undefined;

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
    async setup({ variant: name, bundlePath, service: serviceName, path }: { variant: VariantName; bundlePath: string; service: string; path: string }) {
      // The invoker's process holds nothing but its bundle, as a sandbox does.
      if (name === 'invoker') {
        variant = await invokerVariant(bundlePath, serviceName, { path });
        return { variant: name };
      }
      // The other variants' token and credentials, fetched once with the project's own code.
      const { loadCatalog } = await import('../../../shared/catalog/loadCatalog.ts');
      const { authenticateCall } = await import('../../../shared/invoke/authenticateCall.ts');
      const { Deadline } = await import('../../../shared/invoke/deadline.ts');
      const deadline = Deadline.fromRemainingMs(30_000);
      const catalog = await loadCatalog(deadline);
      const service = catalog.services[serviceName]!;
      const { credentials, token } = await authenticateCall(catalog, service, deadline, false);
      const route = { ingressUrl: catalog.ingress.url, authority: service.authority, path, token };
      const identity = catalog.identities[service.identity]!;
      if (name === 'handRolled') {
        variant = handRolledVariant(route, { cert: identity.tls.certParameter, key: identity.tls.keyParameter, ca: catalog.ingress.caParameter });
      } else if (name === 'floorWithRecord') {
        variant = floorWithRecordVariant(floorVariant(route, credentials), {
          service: serviceName,
          method: 'GET',
          pathTemplate: path,
          identity: service.identity,
          credentialVersion: credentials.version,
        });
      } else {
        variant = floorVariant(route, credentials, name);
      }
      return { variant: name };
    },

    async batch({ calls }: { calls: number }) {
      if (!variant) throw new Error('setup first');
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
        if (status !== 200) throw new Error(`${variant.name} call ${i} answered ${status}`);
      }
      const cpu = process.cpuUsage(cpuBefore);
      return { samples, outsideUndici, cpuMicros: cpu.user + cpu.system };
    },
  },
  async () => {
    await variant?.close();
  },
);
