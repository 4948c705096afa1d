import { fileURLToPath } from 'node:url';

/** Where the local mesh's .proto files live, and the inventory service's file under it. */
export const InventoryProto = {
  root: fileURLToPath(new URL('./protos/', import.meta.url)),
  file: 'inventory/v1/inventory.proto',
  service: 'inventory.v1.Inventory',
} as const;
