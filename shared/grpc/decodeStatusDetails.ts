import { fromBinary, toJson, type Registry } from '@bufbuild/protobuf';
import { redactSecrets } from '../logging/redactSecrets.ts';
import { googleRpcRegistry } from './googleRpcRegistry.ts';

/** Cap on the serialized details in an error message (Step Functions' Cause is limited, and a Catch state should stay cheap). */
const MAX_DETAILS_BYTES = 2048;
/** Well-known types whose proto3 JSON is not an object of their fields (so an Any holds it under "value"). */
const SPECIAL_JSON_TYPES: ReadonlySet<string> = new Set(
  ['Any', 'Duration', 'Timestamp', 'FieldMask', 'Struct', 'Value', 'ListValue', 'BoolValue', 'BytesValue', 'DoubleValue',
    'FloatValue', 'Int32Value', 'Int64Value', 'StringValue', 'UInt32Value', 'UInt64Value'].map((name) => `google.protobuf.${name}`),
);

export interface StatusDetails {
  /** Each detail as proto3 JSON with its `@type`; a type neither schema knows stays `{ "@type", "value": base64 }`. */
  details: unknown[];
  /** From a google.rpc.RetryInfo detail, rounded up. */
  retryAfterSeconds?: number;
}

/**
 * Reads `grpc-status-details-bin` (a serialized google.rpc.Status) into JSON for the error message
 * (written like response messages, defaults included, so a Catch state finds every field):
 * secrets removed, as many whole entries as fit in 2 KiB. Details that do not parse are left out
 * rather than failing the error report.
 *
 * @example
 * decodeStatusDetails(reply.statusDetails, schema, [token]) // { details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' }], retryAfterSeconds: 2 }
 */
export function decodeStatusDetails(bytes: Uint8Array, schema: Registry | undefined, secrets: readonly string[]): StatusDetails {
  const statusSchema = googleRpcRegistry.getMessage('google.rpc.Status')!;
  let anys: { typeUrl: string; value: Uint8Array }[];
  try {
    anys = (fromBinary(statusSchema, bytes) as unknown as { details: { typeUrl: string; value: Uint8Array }[] }).details;
  } catch {
    return { details: [] };
  }
  const result: StatusDetails = { details: [] };
  let size = 2;
  for (const any of anys) {
    const entry = detailJson(any, schema);
    if (entry === undefined) continue;
    const text = redactSecrets(JSON.stringify(entry), secrets);
    size += Buffer.byteLength(text) + 1;
    if (size > MAX_DETAILS_BYTES) break;
    const redacted = JSON.parse(text) as Record<string, unknown>;
    result.details.push(redacted);
    const delay = redacted.retryDelay;
    if (any.typeUrl.endsWith('/google.rpc.RetryInfo') && typeof delay === 'string' && /^\d+(\.\d+)?s$/.test(delay)) {
      result.retryAfterSeconds = Math.ceil(Number(delay.slice(0, -1)));
    }
  }
  return result;
}

function detailJson(any: { typeUrl: string; value: Uint8Array }, schema: Registry | undefined): Record<string, unknown> | undefined {
  const typeName = any.typeUrl.slice(any.typeUrl.lastIndexOf('/') + 1);
  const type = schema?.getMessage(typeName) ?? googleRpcRegistry.getMessage(typeName);
  if (type) {
    try {
      const json = toJson(type, fromBinary(type, any.value), { registry: schema, alwaysEmitImplicit: true });
      // proto3 JSON for Any: a well-known type with its own JSON form goes under "value".
      if (SPECIAL_JSON_TYPES.has(type.typeName)) return { '@type': any.typeUrl, value: json };
      return { '@type': any.typeUrl, ...(json as Record<string, unknown>) };
    } catch {
      // Falls through to the opaque form.
    }
  }
  return { '@type': any.typeUrl, value: Buffer.from(any.value).toString('base64') };
}
