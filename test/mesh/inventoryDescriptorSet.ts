import { join } from 'node:path';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { InventoryProto } from './inventoryProto.ts';

/**
 * The inventory schema as a base64 `FileDescriptorSet`, what the catalog's `descriptorParameter`
 * holds. Built with protobufjs from test/mesh/protos (no protoc binary needed). protobufjs writes
 * descriptors as @grpc/reflection serves them (relative type names, no import list, synthetic file
 * names), so the invoker meets here the same shape Node reflection servers produce.
 *
 * @example
 * await ssm.put('/meshgate/local/grpc/inventory-descriptor', await inventoryDescriptorSet());
 */
export async function inventoryDescriptorSet(): Promise<string> {
  const root = new protobuf.Root();
  // google/protobuf/*.proto are protobufjs's bundled copies; everything else is under the protos folder.
  root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : join(InventoryProto.root, target));
  await root.load(InventoryProto.file, { keepCase: true });
  const set = (root as protobuf.Root & { toDescriptor(syntax: string): protobuf.Message }).toDescriptor('proto3');
  const bytes = (descriptor as unknown as { FileDescriptorSet: protobuf.Type }).FileDescriptorSet.encode(set).finish();
  return Buffer.from(bytes).toString('base64');
}
