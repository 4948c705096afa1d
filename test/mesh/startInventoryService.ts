import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import protobuf from 'protobufjs';
import { InventoryProto } from './inventoryProto.ts';

/** A detail attached to a status fault (sent in grpc-status-details-bin as a google.rpc.Status). */
export type InventoryFaultDetail = { stockShortage: { sku: string; available: number } } | { retryDelaySeconds: number };

/**
 * What the next Reserve call shows instead of its normal answer: a non-OK status (with message,
 * details and trailing metadata), or only a delay before the normal answer.
 */
export type InventoryFault =
  | { code: number; message?: string; details?: InventoryFaultDetail[]; metadata?: Record<string, string> }
  | { delayMs: number };

export interface InventoryRequest {
  /** `inventory.v1.Inventory/Reserve`. */
  rpc: string;
  /** Request metadata as the workload sees it (binary values base64). */
  metadata: Record<string, string>;
  /** The request decoded by proto-loader (snake_case keys, longs and enums as strings). */
  message: Record<string, unknown>;
}

export interface InventoryService {
  /** `http://127.0.0.1:<port>`: the ingress's gRPC upstream (HTTP/2 without TLS, as a sidecar sees it). */
  url: string;
  port: number;
  /** Every Reserve request received, in order, faulted ones included. */
  requests: InventoryRequest[];
  /** Distinct reservations made (replays of an idempotency-key excluded). */
  readonly effects: number;
  injectFault(fault: InventoryFault, options?: { times?: number }): void;
  clearFaults(): void;
  /** Clears faults, recorded requests, effects and idempotency records. */
  reset(): void;
  stop(): Promise<void>;
}

const loaderOptions = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [InventoryProto.root] };
const statusTypes = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        rpc: {
          nested: {
            Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 }, details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 } } },
            RetryInfo: { fields: { retry_delay: { type: 'google.protobuf.Duration', id: 1 } } },
          },
        },
        protobuf: {
          nested: {
            Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
            Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
          },
        },
      },
    },
  },
});

/**
 * Starts the example in-mesh gRPC workload `inventory` (inventory.v1.Inventory, test/mesh/protos) on
 * loopback with @grpc/grpc-js: Reserve de-duplicates by `idempotency-key`, answers with initial
 * metadata (`x-inventory-region`, `x-debug-build`) and trailing metadata (`x-stock-remaining`), and
 * shows status faults on demand. Server reflection (v1 and v1alpha) is on, via @grpc/reflection.
 *
 * @example
 * const inventory = await startInventoryService();
 * inventory.injectFault({ code: 9, message: 'out of stock', details: [{ stockShortage: { sku: 'B-2', available: 1 } }] });
 */
export async function startInventoryService(): Promise<InventoryService> {
  const definition = protoLoader.loadSync(InventoryProto.file, loaderOptions);
  const inventoryRoot = await new protobuf.Root().load(join(InventoryProto.root, InventoryProto.file), { keepCase: true });
  const service = (grpc.loadPackageDefinition(definition).inventory as grpc.GrpcObject).v1 as grpc.GrpcObject;
  const requests: InventoryRequest[] = [];
  const replies = new Map<string, Record<string, unknown>>();
  let faults: { fault: InventoryFault; remaining: number }[] = [];
  let effects = 0;
  let nextReservation = 1;

  const takeFault = (): InventoryFault | undefined => {
    const armed = faults.find((candidate) => candidate.remaining > 0);
    if (!armed) return undefined;
    armed.remaining -= 1;
    faults = faults.filter((candidate) => candidate.remaining > 0);
    return armed.fault;
  };

  const statusDetails = (code: number, message: string, details: InventoryFaultDetail[]): Buffer => {
    const anys = details.map((detail) =>
      'stockShortage' in detail
        ? { type_url: 'type.googleapis.com/inventory.v1.StockShortage', value: encode(inventoryRoot, 'inventory.v1.StockShortage', detail.stockShortage) }
        : { type_url: 'type.googleapis.com/google.rpc.RetryInfo', value: encode(statusTypes, 'google.rpc.RetryInfo', { retry_delay: { seconds: detail.retryDelaySeconds } }) },
    );
    return Buffer.from(encode(statusTypes, 'google.rpc.Status', { code, message, details: anys }));
  };

  const reserve: grpc.handleUnaryCall<Record<string, unknown>, Record<string, unknown>> = (call, callback) => {
    const metadata = Object.fromEntries(
      Object.entries(call.metadata.getMap()).map(([key, value]) => [key, Buffer.isBuffer(value) ? value.toString('base64') : String(value)]),
    );
    requests.push({ rpc: 'inventory.v1.Inventory/Reserve', metadata, message: call.request });
    const answer = async () => {
      const fault = takeFault();
      if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
      if (call.cancelled) return;
      const initial = new grpc.Metadata();
      initial.set('x-inventory-region', 'local-1');
      initial.set('x-debug-build', 'not-for-state-output');
      if (metadata['x-request-id']) initial.set('x-request-id', metadata['x-request-id']);
      call.sendMetadata(initial);
      if (fault && 'code' in fault) {
        const trailing = new grpc.Metadata();
        for (const [key, value] of Object.entries(fault.metadata ?? {})) trailing.set(key, value);
        if (fault.details?.length) trailing.set('grpc-status-details-bin', statusDetails(fault.code, fault.message ?? '', fault.details));
        callback({ code: fault.code, details: fault.message ?? '', metadata: trailing });
        return;
      }
      const key = metadata['idempotency-key'];
      let reply = key ? replies.get(key) : undefined;
      if (!reply) {
        const request = call.request;
        reply = { ...request, reservation_id: `res-${nextReservation++}`, backordered: 0 };
        effects += 1;
        if (key) replies.set(key, reply);
      }
      const trailing = new grpc.Metadata();
      trailing.set('x-stock-remaining', '97');
      callback(null, reply, trailing);
    };
    answer().catch((error: Error) => callback({ code: grpc.status.INTERNAL, details: error.message }));
  };

  const server = new grpc.Server();
  server.addService((service.Inventory as grpc.ServiceClientConstructor).service, {
    Reserve: reserve,
    WatchStock: (call: grpc.ServerWritableStream<{ sku: string }, unknown>) => {
      call.write({ sku: call.request.sku, available: 97 });
      call.end();
    },
  });
  new ReflectionService(definition).addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get effects() {
      return effects;
    },
    injectFault(fault, options = {}) {
      faults.push({ fault, remaining: options.times ?? 1 });
    },
    clearFaults() {
      faults = [];
    },
    reset() {
      faults = [];
      requests.length = 0;
      replies.clear();
      effects = 0;
    },
    async stop() {
      server.forceShutdown();
    },
  };
}

function encode(root: protobuf.Root, type: string, value: Record<string, unknown>): Uint8Array {
  const messageType = root.lookupType(type);
  return messageType.encode(messageType.fromObject(value)).finish();
}
