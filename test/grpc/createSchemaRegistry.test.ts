import { create, fromJson, toBinary, toJson } from '@bufbuild/protobuf';
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FileDescriptorProtoSchema,
  file_google_protobuf_timestamp,
  type FileDescriptorProto,
} from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { createSchemaRegistry } from '../../shared/grpc/createSchemaRegistry.ts';

/** A file as protoc writes it: absolute type names, imports listed, json_name set. */
function protocFile(): FileDescriptorProto {
  return create(FileDescriptorProtoSchema, {
    name: 'shop/v1/shop.proto',
    package: 'shop.v1',
    syntax: 'proto3',
    dependency: ['google/protobuf/timestamp.proto'],
    messageType: [
      {
        name: 'Order',
        field: [
          { name: 'order_id', jsonName: 'orderId', number: 1, label: Label.OPTIONAL, type: Type.STRING },
          { name: 'placed_at', jsonName: 'placedAt', number: 2, label: Label.OPTIONAL, type: Type.MESSAGE, typeName: '.google.protobuf.Timestamp' },
          { name: 'line', jsonName: 'line', number: 3, label: Label.REPEATED, type: Type.MESSAGE, typeName: '.shop.v1.Order.Line' },
        ],
        nestedType: [{ name: 'Line', field: [{ name: 'sku', jsonName: 'sku', number: 1, label: Label.OPTIONAL, type: Type.STRING }] }],
      },
    ],
    service: [{ name: 'Shop', method: [{ name: 'Get', inputType: '.shop.v1.Order', outputType: '.shop.v1.Order' }] }],
  });
}

/** The same file as protobufjs (and so @grpc/reflection) writes it. */
function protobufjsFile(): FileDescriptorProto {
  const file = protocFile();
  file.name = 'shop_v1.proto';
  file.dependency = [];
  const [orderId, placedAt, line] = file.messageType[0]!.field;
  orderId!.jsonName = '';
  placedAt!.typeName = 'google.protobuf.Timestamp';
  line!.typeName = 'Line';
  file.service[0]!.method[0]!.inputType = 'Order';
  return file;
}

describe('Function: createSchemaRegistry', () => {
  it('reads a protoc descriptor set (well-known imports included) as it is', () => {
    // Act
    const registry = createSchemaRegistry([file_google_protobuf_timestamp.proto, protocFile()]);
    // Assess
    const order = registry.getMessage('shop.v1.Order')!;
    const message = fromJson(order, { orderId: 'o-1', placedAt: '2026-01-02T03:04:05Z', line: [{ sku: 'B-2' }] });
    expect(toJson(order, message)).toEqual({ orderId: 'o-1', placedAt: '2026-01-02T03:04:05Z', line: [{ sku: 'B-2' }] });
    expect(registry.getService('shop.v1.Shop')!.methods[0]!.input.typeName).toBe('shop.v1.Order');
  });

  it('fills in a well-known import the set does not carry (protoc without --include_imports)', () => {
    const registry = createSchemaRegistry([protocFile()]);
    expect(registry.getMessage('google.protobuf.Timestamp')).toBeDefined();
  });

  it('repairs descriptors written by protobufjs: relative type names, no imports, empty json_name', () => {
    // Act
    const registry = createSchemaRegistry([protobufjsFile()]);
    // Assess
    const order = registry.getMessage('shop.v1.Order')!;
    expect(order.fields.map((field) => field.jsonName)).toEqual(['orderId', 'placedAt', 'line']);
    expect(order.field.line!.message?.typeName).toBe('shop.v1.Order.Line');
    const bytes = toBinary(order, fromJson(order, { orderId: 'o-1', placedAt: '2026-01-02T03:04:05Z' }));
    expect(bytes.length).toBeGreaterThan(0);
  });

  it('resolves a relative name to the innermost scope that defines it', () => {
    // Prepare: Line exists both nested in Order and at package level; inside Order the nested one wins.
    const file = protobufjsFile();
    file.messageType.push(create(FileDescriptorProtoSchema, { messageType: [{ name: 'Line' }] }).messageType[0]!);
    // Act
    const registry = createSchemaRegistry([file]);
    // Assess
    expect(registry.getMessage('shop.v1.Order')!.field.line!.message?.typeName).toBe('shop.v1.Order.Line');
  });

  it('refuses an import the schema does not contain with Mesh.ConfigError', () => {
    const file = protocFile();
    file.dependency.push('shop/v1/money.proto');
    expect(() => createSchemaRegistry([file])).toThrow(
      expect.objectContaining({ name: 'Mesh.ConfigError', text: 'Schema file shop/v1/shop.proto imports shop/v1/money.proto, which the schema does not contain' }),
    );
  });

  it('refuses a reference to a type no file defines with Mesh.ConfigError', () => {
    const file = protocFile();
    file.messageType[0]!.field[2]!.typeName = '.shop.v1.Missing';
    expect(() => createSchemaRegistry([file])).toThrow(
      expect.objectContaining({ name: 'Mesh.ConfigError', text: 'Schema file shop/v1/shop.proto: field line refers to unknown type .shop.v1.Missing' }),
    );
  });

  it('refuses an import cycle with Mesh.ConfigError', () => {
    const a = create(FileDescriptorProtoSchema, { name: 'a.proto', package: 'a', dependency: ['b.proto'] });
    const b = create(FileDescriptorProtoSchema, { name: 'b.proto', package: 'b', dependency: ['a.proto'] });
    expect(() => createSchemaRegistry([a, b])).toThrow(expect.objectContaining({ name: 'Mesh.ConfigError', text: expect.stringContaining('import cycle') }));
  });
});
