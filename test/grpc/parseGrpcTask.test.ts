import { describe, expect, it } from 'vitest';
import { parseGrpcTask } from '../../shared/grpc/parseGrpcTask.ts';

const valid = { service: 'inventory', rpc: 'inventory.v1.Inventory/Reserve' };

function invalid(input: unknown): { name: string; text: string; details: Record<string, unknown> } {
  try {
    parseGrpcTask(input);
  } catch (error) {
    return error as never;
  }
  throw new Error('expected Mesh.InvalidTask');
}

describe('Function: parseGrpcTask', () => {
  it('returns the task typed, message defaulting to an empty object', () => {
    expect(parseGrpcTask(valid)).toEqual({ ...valid, message: {}, metadata: {} });
  });

  it('keeps every field it knows', () => {
    const task = parseGrpcTask({
      ...valid,
      message: { sku: 'B-2' },
      metadata: { 'x-tenant': 'acme', 'x-trace-bin': 'AAEC' },
      timeoutMs: 5000,
      idempotencyKey: 'order-17',
      context: { Execution: { Id: 'arn:exec' }, State: { Name: 'Reserve', RetryCount: 2 } },
    });
    expect(task).toEqual({
      ...valid,
      message: { sku: 'B-2' },
      metadata: { 'x-tenant': 'acme', 'x-trace-bin': 'AAEC' },
      timeoutMs: 5000,
      idempotencyKey: 'order-17',
      context: { executionId: 'arn:exec', stateName: 'Reserve', retryCount: 2 },
    });
  });

  it.each(['Greeter/SayHello', 'a.b.c.Service_1/Do_It', 'inventory.v1.Inventory/Reserve'])('accepts rpc %j', (rpc) => {
    expect(parseGrpcTask({ ...valid, rpc }).rpc).toBe(rpc);
  });

  it.each([
    ['no rpc', { service: 'inventory' }, 'rpc is required'],
    ['an rpc with a dot before the method', { ...valid, rpc: 'inventory.v1.Inventory.Reserve' }, 'must be "package.Service/Method"'],
    ['an rpc with a leading slash', { ...valid, rpc: '/inventory.v1.Inventory/Reserve' }, 'must be "package.Service/Method"'],
    ['an rpc with a path', { ...valid, rpc: 'inventory.v1.Inventory/Reserve/../x' }, 'must be "package.Service/Method"'],
    ['an unknown field', { ...valid, path: '/x' }, 'unknown field "path"'],
    ['a URL as service', { ...valid, service: 'https://evil.example.com' }, 'must be a catalog key'],
    ['a message that is an array', { ...valid, message: [] }, 'message must be an object'],
    ['a message that is a string', { ...valid, message: '{}' }, 'message must be an object'],
    ['metadata that is not an object', { ...valid, metadata: 'x' }, 'metadata must be an object of strings'],
    ['upper-case metadata keys', { ...valid, metadata: { 'X-Tenant': 'a' } }, 'metadata key "X-Tenant" must match ^[a-z0-9-]+$ (keys must be lower-case)'],
    ['authorization metadata', { ...valid, metadata: { authorization: 'Bearer x' } }, 'metadata key "authorization" may not be set by a task'],
    ['idempotency-key metadata', { ...valid, metadata: { 'idempotency-key': 'k' } }, 'use the idempotencyKey field'],
    ['te metadata', { ...valid, metadata: { te: 'trailers' } }, 'metadata key "te" may not be set'],
    ['content-type metadata', { ...valid, metadata: { 'content-type': 'application/grpc' } }, 'metadata key "content-type" may not be set'],
    ['grpc-timeout metadata', { ...valid, metadata: { 'grpc-timeout': '1S' } }, 'gRPC reserves grpc-*'],
    ['metadata with CR LF', { ...valid, metadata: { 'x-a': 'a\r\nb: c' } }, 'metadata.x-a must hold only visible ASCII'],
    ['binary metadata that is not base64', { ...valid, metadata: { 'x-a-bin': '%%%' } }, 'metadata.x-a-bin must be base64'],
    ['a zero timeout', { ...valid, timeoutMs: 0 }, 'timeoutMs must be an integer'],
    ['an idempotency key with a newline', { ...valid, idempotencyKey: 'a\nb' }, 'idempotencyKey must be'],
    ['a context that is not an object', { ...valid, context: 'x' }, 'context must be an object'],
  ])('refuses %s with Mesh.InvalidTask', (_what, input, text) => {
    const error = invalid(input);
    expect(error.name).toBe('Mesh.InvalidTask');
    expect(error.text).toContain(text);
  });

  it('names the service in errors once it is known, and never shows metadata values', () => {
    const error = invalid({ ...valid, metadata: { 'x-a': 'secret\nvalue' } });
    expect(error.details.service).toBe('inventory');
    expect(JSON.stringify(error)).not.toContain('secret');
  });

  it.each([null, [], 'task', 7])('refuses input %j that is not an object', (input) => {
    expect(invalid(input).name).toBe('Mesh.InvalidTask');
  });
});
