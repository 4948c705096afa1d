import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FileRegistry } from '@bufbuild/protobuf';
import { createSchemaRegistry } from '../../shared/grpc/createSchemaRegistry.ts';
import { resolveGrpcMethod } from '../../shared/grpc/resolveGrpcMethod.ts';
import { inventoryDescriptorSet } from '../mesh/inventoryDescriptorSet.ts';

// The schema checks behind the catalog's rpc allow-list, on the local mesh's inventory descriptor set.
describe('Function: resolveGrpcMethod', () => {
  let registry: FileRegistry;

  beforeAll(async () => {
    const set = fromBinary(FileDescriptorSetSchema, Buffer.from(await inventoryDescriptorSet(), 'base64'));
    registry = createSchemaRegistry(set.file);
  });

  it('returns a unary method with its input and output types', () => {
    const method = resolveGrpcMethod(registry, 'inventory.v1.Inventory/Reserve', 'inventory');
    expect([method.input.typeName, method.output.typeName]).toEqual(['inventory.v1.ReserveRequest', 'inventory.v1.ReserveResponse']);
  });

  it.each([
    ['a method the schema does not have', 'inventory.v1.Inventory/Cancel', 'gRPC method inventory.v1.Inventory/Cancel is not in the schema of "inventory"'],
    ['a gRPC service the schema does not have', 'billing.v1.Billing/Charge', 'gRPC service billing.v1.Billing is not in the schema of "inventory"'],
    [
      'a streaming method',
      'inventory.v1.Inventory/WatchStock',
      'gRPC method inventory.v1.Inventory/WatchStock is server streaming; the invoker makes unary calls only',
    ],
  ])('refuses %s with Mesh.UnknownService', (_what, rpc, text) => {
    expect(() => resolveGrpcMethod(registry, rpc, 'inventory')).toThrow(
      expect.objectContaining({ name: 'Mesh.UnknownService', text, details: { service: 'inventory' } }),
    );
  });
});
