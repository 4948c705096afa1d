import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeshErrorName } from '../../shared/errors/meshErrors.ts';
import type { IngressRequest } from '../mesh/startIngress.ts';
import { startLocalMesh, type LocalMesh } from '../mesh/startLocalMesh.ts';
import { registerSecrets } from '../support/findSecrets.ts';
import { JsonEventSandbox, type InvocationResult } from './jsonEventSandbox.ts';
import {
  arbitraryJson,
  headerInjections,
  hostilePaths,
  hugeAndDeep,
  oddUnicode,
  unknownTargets,
  validTasks,
  wrongTypes,
  type GeneratedTask,
} from './taskInputs.ts';

// Generated task inputs, valid and hostile, through the REAL handler in a warm sandbox and the local
// mesh. Each ends in output or a Mesh.* error (never anything else), nothing refused reaches the
// ingress or the service, and whatever does arrive is safe. 10 000 inputs by default; raise with
// MESHGATE_E2E_PROPERTY_RUNS=100000 for a deeper search.
const TOTAL_RUNS = Number(process.env.MESHGATE_E2E_PROPERTY_RUNS ?? 10_000);
const MESH_NAMES: ReadonlySet<string> = new Set(Object.values(MeshErrorName));
const REFUSALS: ReadonlySet<string> = new Set([MeshErrorName.InvalidTask, MeshErrorName.UnknownService]);
/** Header names that must never arrive at the ingress, whatever the task said (the invoker sets none of them). */
const NEVER_ARRIVING = /^(cookie|forwarded|expect|upgrade|proxy-.*|x-forwarded-.*|x-envoy-.*)$/;

const categories: Array<[string, fc.Arbitrary<GeneratedTask>, number]> = [
  ['valid tasks through the mesh', validTasks, 0.1],
  ['path traversal in every encoding, schemes, authorities, control characters', hostilePaths, 0.2],
  ['services and paths outside the catalog', unknownTargets, 0.05],
  ['header injection and refused headers', headerInjections, 0.15],
  ['wrong types, unknown fields, bodies on GET', wrongTypes, 0.15],
  ['odd unicode in every field', oddUnicode, 0.15],
  ['huge and deeply nested inputs', hugeAndDeep, 0.05],
  ['arbitrary JSON', arbitraryJson, 0.15],
];

let mesh: LocalMesh;
let sandbox: JsonEventSandbox;
const unhandled: unknown[] = [];
const recordUnhandled = (reason: unknown) => unhandled.push(reason);
const tally = { inputs: 0, outputs: 0, refused: 0, otherErrors: 0, reachedIngress: 0 };

beforeAll(async () => {
  mesh = await startLocalMesh();
  Object.assign(process.env, mesh.env);
  registerSecrets(mesh.secrets());
  process.on('unhandledRejection', recordUnhandled);
  process.on('uncaughtException', recordUnhandled);
  sandbox = await new JsonEventSandbox().coldStart();
  for (const service of ['orders', 'orders-basic', 'orders-post', 'orders-selfsigned']) {
    await sandbox.invoke(JSON.stringify({ service, path: '/v1/orders/warm' }));
  }
});

afterAll(async () => {
  process.off('unhandledRejection', recordUnhandled);
  process.off('uncaughtException', recordUnhandled);
  await mesh?.stop();
});

describe('Property: hostile task inputs through the real handler and the mesh', () => {
  let prototypeNames: string[];

  beforeAll(() => {
    prototypeNames = Object.getOwnPropertyNames(Object.prototype);
  });

  it.each(categories)('%s: output or Mesh.*, nothing refused reaches the mesh', async (_name, arbitrary, share) => {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (generated) => {
        await checkInvocation(generated);
      }),
      // A counterexample is reported as found: shrinking through the mesh would take minutes.
      { numRuns: Math.max(1, Math.round(TOTAL_RUNS * share)), endOnFailure: true },
    );
  });

  it('ran every input to an answer, with no unhandled rejection and no polluted prototype', () => {
    expect(unhandled).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeNames);
    expect(tally.inputs).toBeGreaterThanOrEqual(TOTAL_RUNS);
    expect(tally.otherErrors).toBe(0);
    // Both sides were exercised in earnest.
    expect(tally.reachedIngress).toBeGreaterThan(TOTAL_RUNS * 0.1);
    expect(tally.refused).toBeGreaterThan(TOTAL_RUNS * 0.5);
  });
});

async function checkInvocation(generated: GeneratedTask): Promise<void> {
  const before = { ingress: mesh.ingress.requests.length, orders: mesh.orders.requests.length };
  const result: InvocationResult = await sandbox.invoke(generated.text);
  const arrived = mesh.ingress.requests.slice(before.ingress);
  const served = mesh.orders.requests.slice(before.orders);
  tally.inputs += 1;
  if (arrived.length > 0) tally.reachedIngress += 1;

  if ('thrown' in result) {
    const error = result.thrown as Error;
    if (!(error instanceof Error) || !MESH_NAMES.has(error.name)) {
      tally.otherErrors += 1;
      throw new Error(`Not a Mesh.* error: ${String((error as Error)?.name)}: ${String((error as Error)?.message).slice(0, 200)}`);
    }
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(JSON.parse(error.message)).toMatchObject({ message: expect.any(String) });
    if (REFUSALS.has(error.name)) {
      tally.refused += 1;
      expect({ error: error.name, arrived: arrived.length, served: served.length }).toEqual({ error: error.name, arrived: 0, served: 0 });
    }
    expect(generated.expect === 'output' ? error.name : 'ok').toBe('ok');
    if (generated.expect === 'refused') expect(REFUSALS.has(error.name) ? 'refused' : error.name).toBe('refused');
  } else {
    tally.outputs += 1;
    const output = result.output as { ok: unknown; status: unknown; meta: { attempts: unknown } };
    expect(typeof output.ok).toBe('boolean');
    expect(Number.isInteger(output.status)).toBe(true);
    expect(output.meta.attempts).toBeGreaterThanOrEqual(1);
    expect(generated.expect === 'refused' ? 'output' : 'refused').toBe('refused');
    if (generated.expect === 'output') {
      expect({ ok: output.ok, attempts: output.meta.attempts, arrived: arrived.length }).toEqual({ ok: true, attempts: 1, arrived: 1 });
    }
  }

  const service = serviceOf(generated.text);
  for (const request of arrived) expectSafeArrival(request, service);
  const arrivedPaths = new Set(arrived.map((request) => request.path));
  for (const request of served) expect(arrivedPaths.has(request.path)).toBe(true);
}

function serviceOf(text: string): string {
  const value = JSON.parse(text) as { service?: unknown };
  return typeof value?.service === 'string' ? value.service : '';
}

/** What reached the ingress is what the task may ask for: its service's authority and prefixes, a clean path, our token. */
function expectSafeArrival(request: IngressRequest, serviceName: string): void {
  const service = mesh.catalog.services[serviceName];
  expect(service, `a request arrived for ${serviceName}`).toBeDefined();
  expect(request.authority).toBe(service!.authority);
  expect(request.headers.authorization).toMatch(/^Bearer eyJ/);
  for (const name of Object.keys(request.headers)) expect(name).not.toMatch(NEVER_ARRIVING);

  const pathname = request.path.split('?')[0]!;
  expect(pathname.startsWith('/') && !pathname.startsWith('//')).toBe(true);
  // Nothing an ingress or service would normalise: no dot segments, no backslash, no raw odd characters.
  expect(new URL(request.path, 'https://ingress.invalid').pathname).toBe(pathname);
  expect(service!.paths!.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`))).toBe(true);
  let decoded = pathname;
  for (let round = 0; round < 4; round += 1) {
    for (const form of [decoded, decoded.normalize('NFKC')]) {
      expect(form).not.toMatch(/[\\\r\n\0]/);
      for (const segment of form.split('/')) expect(segment === '.' || segment === '..').toBe(false);
    }
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      break;
    }
  }
}
