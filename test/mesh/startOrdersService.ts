import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { trackConnections } from './trackConnections.ts';

/** A misbehaviour the orders service shows instead of (or, for `delayMs`, before) its normal answer. */
export type OrdersFault =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { delayMs: number }
  | { resetBeforeHeaders: true }
  | { resetMidBody: true }
  | { trickle: { chunks: number; intervalMs: number } }
  | { bodyBytes: number }
  | { rawBody: string; contentType: string };

export interface FaultOptions {
  /** How many matching requests show the fault (default 1). */
  times?: number;
  /** Only requests whose path (query excluded) starts with this. */
  pathPrefix?: string;
}

export interface OrdersRequest {
  method: string;
  /** Raw request target, query included. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface OrdersService {
  /** `http://127.0.0.1:<port>`: the ingress's upstream. */
  url: string;
  port: number;
  /** Every request received, in order, faulted ones included. */
  requests: OrdersRequest[];
  /** Distinct side effects: successful non-GET/HEAD requests that were not idempotent replays. */
  readonly effects: number;
  injectFault(fault: OrdersFault, options?: FaultOptions): void;
  clearFaults(): void;
  /** Clears faults, recorded requests, effects, idempotency records and orders. */
  reset(): void;
  stop(): Promise<void>;
}

interface Reply {
  status: number;
  headers: OutgoingHttpHeaders;
  body: string;
}

interface ArmedFault {
  fault: OrdersFault;
  remaining: number;
  pathPrefix: string;
}

const safeMethods = new Set(['GET', 'HEAD']);
const maxBigBytes = 64 * 1024 * 1024;
const json = (status: number, value: unknown, headers: OutgoingHttpHeaders = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: value === undefined ? '' : JSON.stringify(value),
});

/**
 * Starts the example in-mesh workload `orders`: a plain HTTP/1.1 JSON API on loopback that records
 * every request, de-duplicates non-GET requests by `idempotency-key`, and shows faults on demand.
 * A fault replaces the normal answer (no side effect happens), except `delayMs`, which only delays it.
 *
 * @example
 * const orders = await startOrdersService();
 * orders.injectFault({ status: 503 }, { times: 2 });
 */
export async function startOrdersService(): Promise<OrdersService> {
  const requests: OrdersRequest[] = [];
  let faults: ArmedFault[] = [];
  let effects = 0;
  let nextOrder = 1;
  const replies = new Map<string, Reply>();
  const deleted = new Set<string>();

  const takeFault = (path: string): OrdersFault | undefined => {
    const armed = faults.find((candidate) => candidate.remaining > 0 && path.startsWith(candidate.pathPrefix));
    if (!armed) return undefined;
    armed.remaining -= 1;
    faults = faults.filter((candidate) => candidate.remaining > 0);
    return armed.fault;
  };

  const route = (method: string, target: string, headers: IncomingHttpHeaders, body: string): Reply => {
    const url = new URL(target, 'http://orders.local');
    const path = url.pathname;
    if (path === '/v1/orders/echo' || path.startsWith('/v1/orders/echo/')) {
      return json(200, { method, path: target, headers, body });
    }
    if (path === '/v1/admin' || path.startsWith('/v1/admin/')) return json(200, { admin: true });
    if (path === '/v1/orders/big' && safeMethods.has(method)) {
      const bytes = Math.min(Math.max(Number(url.searchParams.get('bytes') ?? 0) || 0, 0), maxBigBytes);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: bigJson(bytes) };
    }
    if (path === '/v1/orders' && method === 'POST') {
      const parsed = parseJson(body);
      if (!parsed.ok) return json(400, { error: 'invalid_json' });
      const id = `ord-${nextOrder++}`;
      const fields = isRecord(parsed.value) ? parsed.value : { value: parsed.value };
      return json(201, { ...fields, id }, { location: `/v1/orders/${id}`, etag: '"v1"' });
    }
    const confirm = /^\/v1\/orders\/([^/]+)\/confirm$/.exec(path);
    if (confirm && method === 'POST') return json(200, { id: decodeURIComponent(confirm[1] ?? ''), status: 'confirmed' });
    const order = /^\/v1\/orders\/([^/]+)$/.exec(path);
    if (order) {
      const id = decodeURIComponent(order[1] ?? '');
      if (deleted.has(id)) return json(404, { error: 'not_found', id });
      if (safeMethods.has(method)) {
        return json(200, { id, status: 'open', items: [{ sku: 'B-2', quantity: 3 }] }, { etag: '"v1"' });
      }
      if (method === 'DELETE') {
        deleted.add(id);
        return { status: 204, headers: {}, body: '' };
      }
      if (method === 'PUT' || method === 'PATCH') {
        const parsed = parseJson(body);
        if (!parsed.ok) return json(400, { error: 'invalid_json' });
        return json(200, { ...(isRecord(parsed.value) ? parsed.value : { value: parsed.value }), id }, { etag: '"v2"' });
      }
    }
    return json(404, { error: 'not_found', path });
  };

  const answer = (method: string, target: string, headers: IncomingHttpHeaders, body: string): Reply => {
    const key = headers['idempotency-key'];
    const idempotent = !safeMethods.has(method) && typeof key === 'string' && key.length > 0;
    if (idempotent) {
      const stored = replies.get(key);
      if (stored) return { ...stored, headers: { ...stored.headers, 'idempotent-replayed': 'true' } };
    }
    const reply = route(method, target, headers, body);
    const succeeded = reply.status >= 200 && reply.status < 300;
    if (!safeMethods.has(method) && succeeded) effects += 1;
    if (idempotent && reply.status < 500) replies.set(key, reply);
    return reply;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const body = Buffer.concat(chunks).toString('utf8');
    requests.push({ method, path: target, headers: req.headers, body });

    const fault = takeFault(target.split('?')[0] ?? target);
    if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
    if (fault && !('delayMs' in fault)) {
      await showFault(fault, req, res);
      return;
    }
    const reply = answer(method, target, req.headers, body);
    res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
    res.end(reply.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  const tracked = trackConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get effects() {
      return effects;
    },
    injectFault(fault, options = {}) {
      faults.push({ fault, remaining: options.times ?? 1, pathPrefix: options.pathPrefix ?? '' });
    },
    clearFaults() {
      faults = [];
    },
    reset() {
      faults = [];
      requests.length = 0;
      effects = 0;
      replies.clear();
      deleted.clear();
    },
    stop: () => tracked.close(),
  };
}

async function showFault(fault: Exclude<OrdersFault, { delayMs: number }>, req: IncomingMessage, res: ServerResponse) {
  if ('resetBeforeHeaders' in fault) {
    req.socket.destroy();
    return;
  }
  if ('resetMidBody' in fault) {
    const body = bigJson(64 * 1024);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.write(body.slice(0, 1024), () => req.socket.destroy());
    return;
  }
  if ('trickle' in fault) {
    const { chunks, intervalMs } = fault.trickle;
    res.writeHead(200, { 'content-type': 'application/json' });
    for (let index = 0; index < chunks; index += 1) {
      if (res.destroyed) return;
      const head = index === 0 ? '{"trickle":[' : ',';
      const tail = index === chunks - 1 ? ']}' : '';
      res.write(`${head}"chunk-${index}"${tail}`);
      if (index < chunks - 1) await sleep(intervalMs);
    }
    res.end(chunks > 0 ? '' : '{"trickle":[]}');
    return;
  }
  if ('bodyBytes' in fault) {
    const body = bigJson(fault.bodyBytes);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if ('rawBody' in fault) {
    res.writeHead(200, { 'content-type': fault.contentType, 'content-length': Buffer.byteLength(fault.rawBody) });
    res.end(fault.rawBody);
    return;
  }
  const body = fault.body ?? JSON.stringify({ error: 'injected', status: fault.status });
  const contentType = fault.body === undefined ? 'application/json' : 'text/plain';
  res.writeHead(fault.status, { 'content-type': contentType, ...fault.headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A JSON document of about `bytes` bytes (never less than its 11-byte frame). */
function bigJson(bytes: number): string {
  return JSON.stringify({ data: 'x'.repeat(Math.max(0, bytes - 11)) });
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.length === 0) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
