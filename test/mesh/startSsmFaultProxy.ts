import { createServer, request as httpRequest, Agent } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trackConnections } from './trackConnections.ts';

/**
 * What SSM does while an outage is switched on: `throttle` answers every call with a 400
 * ThrottlingException (AWS JSON 1.1, as Parameter Store does over its quota), `reset` closes the
 * connection as soon as the request arrives (the SDK sees ECONNRESET), `unavailable` answers 503,
 * `hang` accepts and never answers.
 */
export const SsmOutage = { Throttle: 'throttle', Reset: 'reset', Unavailable: 'unavailable', Hang: 'hang' } as const;
export type SsmOutage = (typeof SsmOutage)[keyof typeof SsmOutage];

/** Counts per SSM action (`GetParameters`, …). */
export interface SsmActionCounts {
  /** HTTP requests received (every SDK attempt). */
  requests: number;
  /** Distinct SDK calls (`amz-sdk-invocation-id`: retries of one call share it). */
  calls: number;
  /** Requests answered with ThrottlingException (rate limit, `throttleNext` or the throttle outage). */
  throttled: number;
  /** Requests that reached moto_server. */
  forwarded: number;
  /** Requests failed by an outage other than throttling (reset, 503, hang). */
  failed: number;
}

export interface SsmFaultProxy {
  /** `http://127.0.0.1:<port>`: point AWS_ENDPOINT_URL_SSM here instead of at moto_server. */
  endpoint: string;
  /** Counts for one action, or summed over all actions. */
  counts(action?: string): SsmActionCounts;
  /** Zeroes every count (the rate limiter's bucket is left as it is). */
  resetCounts(): void;
  /**
   * Parameter Store's throughput quota: at most `perSecond` requests a second (a token bucket holding
   * `burst`, default one second's worth); a request over it gets a ThrottlingException. `null` lifts it.
   */
  setRateLimit(perSecond: number | null, burst?: number): void;
  /** The next `count` requests are answered with ThrottlingException, then traffic flows again. */
  throttleNext(count: number): void;
  /** Every request fails the given way until `setOutage(null)`. */
  setOutage(outage: SsmOutage | null): void;
  stop(): Promise<void>;
}

const throttlingBody = JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' });

/**
 * A loopback HTTP proxy in front of moto_server that plays Parameter Store's failure modes:
 * throttling (a rate limit or a number of refusals), connection resets, 503s and hangs. It
 * counts every request per action and per SDK call, so tests can assert how many SSM calls an
 * invoker made and how often it retried. Everything else is forwarded to moto unchanged.
 *
 * @example
 * const proxy = await startSsmFaultProxy(mesh.ssm.endpoint);
 * process.env.AWS_ENDPOINT_URL_SSM = proxy.endpoint;
 * proxy.setRateLimit(40);
 */
export async function startSsmFaultProxy(targetEndpoint: string): Promise<SsmFaultProxy> {
  const target = new URL(targetEndpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const counts = new Map<string, SsmActionCounts>();
  const invocations = new Set<string>();
  const hanging = new Set<ServerResponse>();
  let outage: SsmOutage | null = null;
  let throttleBudget = 0;
  let rate: { perSecond: number; burst: number; tokens: number; at: number } | null = null;

  const countsFor = (action: string): SsmActionCounts => {
    let entry = counts.get(action);
    if (!entry) {
      entry = { requests: 0, calls: 0, throttled: 0, forwarded: 0, failed: 0 };
      counts.set(action, entry);
    }
    return entry;
  };

  const overRate = (): boolean => {
    if (!rate) return false;
    const now = performance.now();
    rate.tokens = Math.min(rate.burst, rate.tokens + ((now - rate.at) * rate.perSecond) / 1000);
    rate.at = now;
    if (rate.tokens < 1) return true;
    rate.tokens -= 1;
    return false;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const action = String(req.headers['x-amz-target'] ?? 'unknown').replace(/^AmazonSSM\./, '');
    const entry = countsFor(action);
    entry.requests += 1;
    const invocation = String(req.headers['amz-sdk-invocation-id'] ?? `request-${entry.requests}`);
    if (!invocations.has(`${action}\n${invocation}`)) {
      invocations.add(`${action}\n${invocation}`);
      entry.calls += 1;
    }

    if (outage === SsmOutage.Reset) {
      entry.failed += 1;
      req.socket.destroy();
      return;
    }
    if (outage === SsmOutage.Hang) {
      entry.failed += 1;
      hanging.add(res);
      res.once('close', () => hanging.delete(res));
      return;
    }
    if (outage === SsmOutage.Unavailable) {
      entry.failed += 1;
      drain(req, () => res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable'));
      return;
    }
    const throttle = outage === SsmOutage.Throttle || throttleBudget > 0 || overRate();
    if (throttle) {
      if (throttleBudget > 0 && outage !== SsmOutage.Throttle) throttleBudget -= 1;
      entry.throttled += 1;
      drain(req, () =>
        res
          .writeHead(400, {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-requestid': crypto.randomUUID(),
          })
          .end(throttlingBody),
      );
      return;
    }

    entry.forwarded += 1;
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstream);
  });
  const tracked = trackConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts(action) {
      if (action !== undefined) return { ...countsFor(action) };
      const total: SsmActionCounts = { requests: 0, calls: 0, throttled: 0, forwarded: 0, failed: 0 };
      for (const entry of counts.values()) {
        for (const key of Object.keys(total) as Array<keyof SsmActionCounts>) total[key] += entry[key];
      }
      return total;
    },
    resetCounts() {
      counts.clear();
      invocations.clear();
    },
    setRateLimit(perSecond, burst = perSecond ?? 0) {
      rate = perSecond === null ? null : { perSecond, burst, tokens: burst, at: performance.now() };
    },
    throttleNext(count) {
      throttleBudget = count;
    },
    setOutage(next) {
      outage = next;
      if (next !== SsmOutage.Hang) {
        for (const res of hanging) res.destroy();
      }
    },
    async stop() {
      for (const res of hanging) res.destroy();
      await tracked.close();
      agent.destroy();
    },
  };
}

/** Reads and discards a request body before answering, so keep-alive connections stay usable. */
function drain(req: IncomingMessage, then: () => void): void {
  req.resume();
  if (req.readableEnded) then();
  else req.once('end', then);
}
