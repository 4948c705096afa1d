import { create, createFileRegistry, type FileRegistry, type MessageInitShape } from '@bufbuild/protobuf';
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FileDescriptorProtoSchema,
  type DescriptorProtoSchema,
  file_google_protobuf_any,
  file_google_protobuf_duration,
} from '@bufbuild/protobuf/wkt';

type FieldSpec = [name: string, number: number, type: 'string' | 'int32' | 'bytes' | string, repeated?: 'repeated'];

/** A message descriptor from a compact field list; a type other than string/int32/bytes is a message type name. */
function message(
  name: string,
  fields: FieldSpec[],
  nested: MessageInitShape<typeof DescriptorProtoSchema>[] = [],
  mapEntry = false,
): MessageInitShape<typeof DescriptorProtoSchema> {
  return {
    name,
    field: fields.map(([fieldName, number, type, repeated]) => {
      const scalar = type === 'string' ? Type.STRING : type === 'int32' ? Type.INT32 : type === 'bytes' ? Type.BYTES : undefined;
      return {
        name: fieldName,
        // protoc writes json_name; a descriptor built by hand must too, or the JSON key is empty.
        jsonName: fieldName.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase()),
        number,
        label: repeated ? Label.REPEATED : Label.OPTIONAL,
        type: scalar ?? Type.MESSAGE,
        ...(scalar === undefined ? { typeName: type } : {}),
      };
    }),
    nestedType: nested,
    ...(mapEntry ? { options: { mapEntry: true } } : {}),
  };
}

/**
 * google/rpc/status.proto and error_details.proto (googleapis), so the details a server attaches to
 * a failed call (`grpc-status-details-bin`: ErrorInfo, RetryInfo, BadRequest...) reach the error
 * JSON as readable proto3 JSON even when the service's own schema does not import them.
 */
export const googleRpcRegistry: FileRegistry = createFileRegistry(
  create(FileDescriptorProtoSchema, {
    name: 'google/rpc/meshgate_error_details.proto',
    package: 'google.rpc',
    syntax: 'proto3',
    dependency: ['google/protobuf/any.proto', 'google/protobuf/duration.proto'],
    messageType: [
      message('Status', [['code', 1, 'int32'], ['message', 2, 'string'], ['details', 3, '.google.protobuf.Any', 'repeated']]),
      message('ErrorInfo', [['reason', 1, 'string'], ['domain', 2, 'string'], ['metadata', 3, '.google.rpc.ErrorInfo.MetadataEntry', 'repeated']], [
        message('MetadataEntry', [['key', 1, 'string'], ['value', 2, 'string']], [], true),
      ]),
      message('RetryInfo', [['retry_delay', 1, '.google.protobuf.Duration']]),
      message('DebugInfo', [['stack_entries', 1, 'string', 'repeated'], ['detail', 2, 'string']]),
      message('QuotaFailure', [['violations', 1, '.google.rpc.QuotaFailure.Violation', 'repeated']], [
        message('Violation', [['subject', 1, 'string'], ['description', 2, 'string']]),
      ]),
      message('PreconditionFailure', [['violations', 1, '.google.rpc.PreconditionFailure.Violation', 'repeated']], [
        message('Violation', [['type', 1, 'string'], ['subject', 2, 'string'], ['description', 3, 'string']]),
      ]),
      message('BadRequest', [['field_violations', 1, '.google.rpc.BadRequest.FieldViolation', 'repeated']], [
        message('FieldViolation', [['field', 1, 'string'], ['description', 2, 'string']]),
      ]),
      message('RequestInfo', [['request_id', 1, 'string'], ['serving_data', 2, 'string']]),
      message('ResourceInfo', [['resource_type', 1, 'string'], ['resource_name', 2, 'string'], ['owner', 3, 'string'], ['description', 4, 'string']]),
      message('Help', [['links', 1, '.google.rpc.Help.Link', 'repeated']], [message('Link', [['description', 1, 'string'], ['url', 2, 'string']])]),
      message('LocalizedMessage', [['locale', 1, 'string'], ['message', 2, 'string']]),
    ],
  }),
  (name) => [file_google_protobuf_any, file_google_protobuf_duration].find((file) => file.proto.name === name),
);
