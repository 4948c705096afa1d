/**
 * Child process for one cold start: a fresh Node.js process imports the invoker bundle and makes
 * its first invocation, while diagnostics_channel records the I/O it does. SSM is reached by the
 * AWS SDK over node:http (`http.client.*` channels), the IdP and the ingress through undici
 * (`undici:*` channels, published by the bundled copy too: channel names are process-wide).
 */
import { subscribe } from 'node:diagnostics_channel';
import { pathToFileURL } from 'node:url';
import { tracedInvocationContext } from '../tracedInvocationContext.ts';
import { serveBenchCommands } from '../serveBenchCommands.ts';

type Handler = (event: unknown, context: unknown) => Promise<{ status: number }>;

interface Span {
  start: number;
  end?: number;
}

const ssmSpans = new Map<object, Span>();
const undiciRequests = new Map<object, { origin: string; method: string; path: string; created: number; headersSent?: number; done?: number }>();
const connects = new Map<object, { port: string; start: number; end?: number }>();
const connectKeys = new Map<string, object>();

subscribe('http.client.request.start', (message) => {
  ssmSpans.set((message as { request: object }).request, { start: performance.now() });
});
subscribe('http.client.response.finish', (message) => {
  const span = ssmSpans.get((message as { request: object }).request);
  if (span) span.end = performance.now();
});
subscribe('undici:request:create', (message) => {
  const { request } = message as { request: { origin: string; method: string; path: string } };
  undiciRequests.set(request, { origin: String(request.origin), method: request.method, path: request.path, created: performance.now() });
});
subscribe('undici:client:sendHeaders', (message) => {
  const entry = undiciRequests.get((message as { request: object }).request);
  if (entry) entry.headersSent = performance.now();
});
subscribe('undici:request:trailers', (message) => {
  const entry = undiciRequests.get((message as { request: object }).request);
  if (entry) entry.done = performance.now();
});
subscribe('undici:client:beforeConnect', (message) => {
  const { connectParams } = message as { connectParams: { host: string; port: string } };
  const key = {};
  connectKeys.set(`${connectParams.host}:${connectParams.port}`, key);
  connects.set(key, { port: String(connectParams.port), start: performance.now() });
});
subscribe('undici:client:connected', (message) => {
  const { connectParams } = message as { connectParams: { host: string; port: string } };
  const key = connectKeys.get(`${connectParams.host}:${connectParams.port}`);
  const entry = key && connects.get(key);
  if (entry) entry.end = performance.now();
});

serveBenchCommands({
  async measure({ bundlePath, event, ingressUrl, issuer }: { bundlePath: string; event: string; ingressUrl: string; issuer: string }) {
    const importStarted = performance.now();
    const { handler } = (await import(pathToFileURL(bundlePath).href)) as { handler: Handler };
    const importMs = performance.now() - importStarted;

    const started = performance.now();
    const output = await handler(JSON.parse(event), tracedInvocationContext());
    const totalMs = performance.now() - started;
    if (output.status !== 200) throw new Error(`first invocation answered ${output.status}`);

    const secondStarted = performance.now();
    await handler(JSON.parse(event), tracedInvocationContext());
    const secondMs = performance.now() - secondStarted;

    const ingressOrigin = new URL(ingressUrl).origin;
    const ingressPort = new URL(ingressUrl).port;
    const idpOrigin = new URL(issuer).origin;
    const inCall = (time: number | undefined) => time !== undefined && time >= started && time <= started + totalMs;
    const spansIn = [...ssmSpans.values()].filter((span) => inCall(span.start) && inCall(span.end));
    const requests = [...undiciRequests.values()].filter((entry) => inCall(entry.created) && inCall(entry.done));
    const idp = requests.filter((entry) => entry.origin === idpOrigin);
    const ingress = requests.filter((entry) => entry.origin === ingressOrigin);
    const handshakes = [...connects.values()].filter((entry) => entry.port === ingressPort && inCall(entry.start) && inCall(entry.end));

    const ssmMs = sum(spansIn.map((span) => span.end! - span.start));
    const tokenMs = sum(idp.map((entry) => entry.done! - entry.created));
    const handshakeMs = sum(handshakes.map((entry) => entry.end! - entry.start));
    const requestMs = sum(ingress.map((entry) => entry.done! - (entry.headersSent ?? entry.created)));
    // The same I/O in order, with the in-process stretches between (what the invoker computes there).
    const windows: Window[] = [
      ...spansIn.map((span, index) => ({ label: `SSM GetParameters #${index + 1}`, start: span.start, end: span.end! })),
      ...idp.map((entry) => ({ label: `IdP ${entry.method} ${entry.path.split('?')[0]}`, start: entry.created, end: entry.done! })),
      ...handshakes.map((entry) => ({ label: 'TLS handshake with the ingress', start: entry.start, end: entry.end! })),
      ...ingress.map((entry) => ({ label: `${entry.method} ${entry.path} through the ingress`, start: entry.headersSent ?? entry.created, end: entry.done! })),
    ].sort((a, b) => a.start - b.start);
    return {
      importMs,
      totalMs,
      secondMs,
      phases: { ssmMs, tokenMs, handshakeMs, requestMs, inProcessMs: totalMs - ssmMs - tokenMs - handshakeMs - requestMs },
      timeline: timelineOf(windows, started, started + totalMs),
      counts: { ssmRequests: spansIn.length, idpRequests: idp.length, handshakes: handshakes.length, ingressRequests: ingress.length },
    };
  },
});

interface Window {
  label: string;
  start: number;
  end: number;
}

/** I/O windows and the in-process gaps between them, from the handler's start to its end. */
function timelineOf(windows: Window[], start: number, end: number): Array<{ label: string; ms: number }> {
  const timeline: Array<{ label: string; ms: number }> = [];
  let at = start;
  for (const window of windows) {
    if (window.start > at) timeline.push({ label: 'in-process', ms: window.start - at });
    timeline.push({ label: window.label, ms: window.end - Math.max(window.start, at) });
    at = Math.max(at, window.end);
  }
  if (end > at) timeline.push({ label: 'in-process', ms: end - at });
  return timeline;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

