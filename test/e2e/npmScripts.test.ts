import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findSecrets } from '../support/findSecrets.ts';

// Each script starts (and stops) its own local mesh in its own process, as a developer runs it.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function npm(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['--silent', ...args], { cwd: repoRoot, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('npm scripts', () => {
  it('npm start runs the example workflow on the local mesh, shows the retried charge and the backordered stock hold, and exits 0 on its own', async () => {
    // Act
    const { code, stdout, stderr } = await npm(['start']);

    // Assess
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^\s+Charge\s+1\s+Mesh\.Unavailable\s+\d+ ms\s+503 Service answered 503: upstream overloaded$/m);
    expect(stdout).toMatch(/^\s+Charge\s+2\s+retry\s+after \d+ ms$/m);
    expect(stdout).toMatch(/^\s+Charge\s+2\s+succeeded\s+\d+ ms$/m);
    expect(stdout).toMatch(/^SUCCEEDED in \d+ ms \(aws-local-stepfunctions, arn:aws:states:/m);
    expect(stdout).toContain('"status": "confirmed"');
    expect(stdout).toMatch(/2 requests with 1 idempotency-key/);
    // The gRPC step: one stock hold refused as out of stock, caught, the item backordered.
    expect(stdout).toMatch(/^\s+ReserveStock \[\d\]\s+1\s+Mesh\.ClientError\s+\d+ ms\s+Service answered gRPC status 9 FAILED_PRECONDITION: out of stock$/m);
    expect(stdout).toMatch(/^\s+ReserveStock \[\d\]\s+1\s+caught\s+→ ReadStockShortage$/m);
    expect(stdout).toMatch(/^the inventory service received 3 gRPC calls:$/m);
    expect(stdout).toMatch(/ReserveStock: 2 held, 1 out of stock/);
    // The functions' own output went to a file, one invocation record per Task invocation.
    expect(stdout).not.toContain('"message":"meshgate invocation"');
    const logPath = /^the functions' own output \(invocation records, log lines\): (.+)$/m.exec(stdout)?.[1];
    expect(logPath).toBeDefined();
    const functionOutput = await readFile(logPath!, 'utf8');
    await rm(logPath!);
    const records = functionOutput.split('\n').filter((line) => line.includes('"message":"meshgate invocation"'));
    // 3 stock holds, 3 reservations, 2 charge attempts, 1 confirm.
    expect(records).toHaveLength(9);
    expect(findSecrets(stdout + stderr + functionOutput)).toEqual([]);
  }, 90_000);

  it('npm start -- --jsonata runs the JSONata definition the same way', async () => {
    const { code, stdout, stderr } = await npm(['start', '--', '--jsonata']);

    expect(code, stderr).toBe(0);
    expect(stdout).toContain('order-fulfilment.jsonata.asl.json');
    expect(stdout).toMatch(/^SUCCEEDED in \d+ ms \(local JSONata engine,/m);
    expect(stdout).toMatch(/^\s+ReserveStock \[\d\]\s+1\s+caught\s+→ StockBackordered$/m);
  }, 90_000);

  it('npm run invoke prints the function response on stdout like sam local invoke, and exits 0', async () => {
    // Act
    const { code, stdout, stderr } = await npm(['run', 'invoke', '--', 'HttpInvokerFunction', '-e', 'test/events/http-get-order.json']);

    // Assess
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, status: 200, body: { id: 'A-17' }, meta: { service: 'orders', attempts: 1 } });
    expect(stderr).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/m);
    expect(stderr).toMatch(/^REPORT RequestId: [0-9a-f-]{36}\tInit Duration: [\d.]+ ms\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 512 MB/m);
    // The function's own log line, on stderr with the rest of its output (env.json sets DEBUG).
    expect(stderr).toContain('"message":"meshgate invocation"');
    expect(findSecrets(stdout + stderr)).toEqual([]);
  }, 90_000);

  it('npm run invoke runs the gRPC invoker with test/events/grpc-reserve.json', async () => {
    // Act
    const { code, stdout, stderr } = await npm(['run', 'invoke', '--', 'GrpcInvokerFunction', '-e', 'test/events/grpc-reserve.json']);

    // Assess
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: true,
      code: 0,
      message: { reservationId: expect.stringMatching(/^res-\d+$/), sku: 'B-2', quantity: 3, orderNumber: '9007199254740993', labels: { orderId: 'A-17' } },
      metadata: { 'x-inventory-region': 'local-1' },
      meta: { service: 'inventory', attempts: 1, idempotencyKey: expect.stringMatching(/^mg1-/) },
    });
    expect(stderr).toMatch(/^REPORT RequestId: [0-9a-f-]{36}\tInit Duration: /m);
    expect(stderr).toContain('"pathTemplate":"/inventory.v1.Inventory/Reserve"');
    expect(findSecrets(stdout + stderr)).toEqual([]);
  }, 90_000);

  it('npm run invoke prints the runtime error JSON for a function error, and exits 1', async () => {
    // Act
    const { code, stdout } = await npm(['run', 'invoke', '--', 'HttpInvokerFunction', '-e', 'test/events/http-invalid-task.json']);

    // Assess
    expect(code).toBe(1);
    const error = JSON.parse(stdout) as { errorType: string; errorMessage: string; trace: string[] };
    expect(error.errorType).toBe('Mesh.InvalidTask');
    expect(JSON.parse(error.errorMessage).message).toContain('authorization');
    expect(Array.isArray(error.trace)).toBe(true);
  }, 90_000);

  it('npm run invoke refuses a logical id that is not a function of the template', async () => {
    const { code, stderr } = await npm(['run', 'invoke', '--', 'OrderFulfilmentStateMachine']);

    expect(code).not.toBe(0);
    expect(stderr).toContain('is not an AWS::Serverless::Function of the template (functions: HttpInvokerFunction');
  }, 90_000);
});
