import { appendFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { capturedLogRecords } from '../support/capturedOutput.ts';
import { errorJson, Sandbox } from '../support/invokeHandler.ts';
import { faultCases, type CaseTools, type FaultCase, type MatrixTarget } from './faultCases.ts';
import { transportCatalog } from './transportCatalog.ts';

/** Where the observed matrix is appended as JSON lines, when set (for the docs' table). */
const MATRIX_OUT = process.env.MESHGATE_FAULT_MATRIX_OUT;

/**
 * Declares the fault matrix (faultCases) against one ingress and protocol: every case drives the real
 * handler through the mesh and asserts the named outcome, `meta.attempts` (or the audit line's
 * attempts for a failure), the error JSON, and how many requests reached the workload.
 *
 * @example
 * runFaultMatrix(() => ({ kind: 'envoy', protocol: 'h2', mesh, url: mesh.ingress.url, ... }));
 */
export function runFaultMatrix(label: string, getTarget: () => MatrixTarget): void {
  describe(label, () => {
    let target: MatrixTarget;
    let warm: Sandbox;
    const tools: CaseTools = {
      async sandboxWith(ingress) {
        await target.mesh.putCatalog(
          transportCatalog(target.mesh, { url: ingress.url ?? target.url, caParameter: ingress.caParameter ?? target.caParameter }),
        );
        return new Sandbox().coldStart();
      },
    };

    beforeAll(async () => {
      target = getTarget();
      target.activate?.();
      warm = await tools.sandboxWith({});
      await warm.invoke({ service: 'orders', path: '/v1/orders/warm' });
    });

    beforeEach(() => {
      target.mesh.orders.clearFaults();
    });

    it('negotiates its protocol by ALPN', async () => {
      // Prepare
      const { protocol, port, mesh } = target;
      // Act
      const negotiated = await new Promise<string | false>((resolve, reject) => {
        const socket = connect({
          host: '127.0.0.1',
          port,
          servername: 'orders.mesh.local',
          ALPNProtocols: ['h2', 'http/1.1'],
          ca: mesh.pki.meshCaPem,
          rejectUnauthorized: false,
          cert: mesh.clientCertificate.certPem,
          key: mesh.clientCertificate.keyPem,
        });
        socket.once('secureConnect', () => {
          resolve(socket.alpnProtocol ?? false);
          socket.destroy();
        });
        socket.once('error', reject);
      });
      // Assess
      expect(negotiated).toBe(protocol);
    });

    it.each(faultCases.map((testCase) => [testCase.fault, testCase] as const))('%s', async (_fault, testCase: FaultCase) => {
      // Prepare
      const expected = testCase.expected(target);
      const run = await testCase.arrange(target, tools);
      const sandbox = run.sandbox ?? warm;
      const serviceRequestsBefore = target.mesh.orders.requests.length;
      // Act
      let output: any;
      let error: (Error & { name: string }) | undefined;
      try {
        output = await sandbox.invoke(run.task, run.lambdaTimeoutMs);
      } catch (caught) {
        error = caught as Error;
      } finally {
        await run.cleanup?.();
      }
      // Assess
      const serviceRequests = target.mesh.orders.requests.length - serviceRequestsBefore;
      const audit = capturedLogRecords().filter((record) => record.message === 'meshgate invocation').at(-1);
      const attempts = output ? output.meta.attempts : audit?.attempts;
      const details = error ? errorJson(error) : {};
      if (MATRIX_OUT) {
        const row = { kind: target.kind, protocol: target.protocol, fault: testCase.fault, outcome: error?.name ?? 'ok', attempts, serviceRequests, status: output?.status ?? details.status };
        appendFileSync(MATRIX_OUT, `${JSON.stringify(row)}\n`);
      }
      expect({ outcome: error?.name ?? 'ok', attempts, serviceRequests }).toEqual({
        outcome: expected.outcome,
        attempts: expected.attempts,
        serviceRequests: expected.serviceRequests,
      });
      expect(audit?.attempts).toBe(attempts);
      if (expected.status !== undefined) expect(output?.status ?? details.status).toBe(expected.status);
      if (error) {
        expect(details).toMatchObject({ message: expect.any(String), service: run.task.service });
        if (expected.message) expect(details.message).toMatch(expected.message);
        if (typeof expected.detail === 'string') expect(details.detail).toBe(expected.detail);
        if (expected.detail instanceof RegExp) expect(details.detail).toMatch(expected.detail);
        if (typeof expected.retryAfterSeconds === 'number') expect(details.retryAfterSeconds).toBe(expected.retryAfterSeconds);
        if (Array.isArray(expected.retryAfterSeconds)) {
          expect(details.retryAfterSeconds).toBeGreaterThanOrEqual(expected.retryAfterSeconds[0]);
          expect(details.retryAfterSeconds).toBeLessThanOrEqual(expected.retryAfterSeconds[1]);
        }
      }
      run.verify?.();
    });

    afterAll(() => {
      target?.mesh.orders.clearFaults();
    });
  });
}
