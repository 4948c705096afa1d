import { create, createFileRegistry, type FileRegistry } from '@bufbuild/protobuf';
import {
  file_google_protobuf_any,
  file_google_protobuf_api,
  file_google_protobuf_descriptor,
  file_google_protobuf_duration,
  file_google_protobuf_empty,
  file_google_protobuf_field_mask,
  file_google_protobuf_source_context,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_google_protobuf_type,
  file_google_protobuf_wrappers,
  FileDescriptorSetSchema,
  type DescriptorProto,
  type FieldDescriptorProto,
  type FileDescriptorProto,
} from '@bufbuild/protobuf/wkt';
import { ConfigError } from '../errors/meshErrors.ts';

/** The well-known types' files, so a set built without `--include_imports` still resolves them. */
const WELL_KNOWN_FILES: ReadonlyMap<string, FileDescriptorProto> = new Map(
  [
    file_google_protobuf_any,
    file_google_protobuf_api,
    file_google_protobuf_descriptor,
    file_google_protobuf_duration,
    file_google_protobuf_empty,
    file_google_protobuf_field_mask,
    file_google_protobuf_source_context,
    file_google_protobuf_struct,
    file_google_protobuf_timestamp,
    file_google_protobuf_type,
    file_google_protobuf_wrappers,
  ].map((file) => [file.proto.name, file.proto]),
);
const MAX_FILES = 512;

/**
 * A registry of every message, enum and service in `files` (a FileDescriptorSet's, or what
 * server reflection returned). Missing imports of well-known types are filled in. Descriptors as
 * protobufjs writes them (what @grpc/reflection serves: relative type names, no `dependency`
 * list, grpc-node#2595) are repaired the way protoc would have written them: type names are
 * resolved by protobuf's scoping rules and the files that define them become dependencies.
 *
 * @example
 * const registry = createSchemaRegistry(fromBinary(FileDescriptorSetSchema, bytes).file);
 * registry.getService('inventory.v1.Inventory');
 * @throws ConfigError when the files do not form a valid, complete schema
 */
export function createSchemaRegistry(files: readonly FileDescriptorProto[]): FileRegistry {
  if (files.length > MAX_FILES) throw new ConfigError(`Schema has ${files.length} files, over the ${MAX_FILES} supported`);
  const byName = new Map<string, FileDescriptorProto>();
  for (const file of files) if (!byName.has(file.name)) byName.set(file.name, file);
  const definedIn = new Map<string, string>();
  for (const file of byName.values()) indexTypes(file, definedIn);
  for (const [name, file] of WELL_KNOWN_FILES) {
    if (!byName.has(name)) indexTypes(file, definedIn, /* onlyNew */ true);
  }

  const needed = [...byName.values()];
  for (let index = 0; index < needed.length; index++) {
    const file = needed[index]!;
    for (const dependency of referencedFiles(file, definedIn)) {
      if (dependency !== file.name && !file.dependency.includes(dependency)) file.dependency.push(dependency);
    }
    for (const dependency of file.dependency) {
      if (byName.has(dependency)) continue;
      const wellKnown = WELL_KNOWN_FILES.get(dependency);
      if (!wellKnown) throw new ConfigError(`Schema file ${file.name} imports ${dependency}, which the schema does not contain`);
      byName.set(dependency, wellKnown);
      needed.push(wellKnown);
    }
  }
  try {
    return createFileRegistry(create(FileDescriptorSetSchema, { file: dependenciesFirst(byName) }));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`Schema is not a valid descriptor set: ${String((error as Error).message).slice(0, 200)}`, { cause: error });
  }
}

/** Records `.package.Type` → file name for every message and enum (nested ones too). */
function indexTypes(file: FileDescriptorProto, definedIn: Map<string, string>, onlyNew = false): void {
  const add = (name: string) => {
    if (!onlyNew || !definedIn.has(name)) definedIn.set(name, file.name);
  };
  const prefix = file.package ? `.${file.package}` : '';
  const visit = (message: DescriptorProto, scope: string) => {
    const name = `${scope}.${message.name}`;
    add(name);
    for (const nested of message.nestedType) visit(nested, name);
    for (const nestedEnum of message.enumType) add(`${name}.${nestedEnum.name}`);
  };
  for (const message of file.messageType) visit(message, prefix);
  for (const enumType of file.enumType) add(`${prefix}.${enumType.name}`);
}

/** Makes every type reference in `file` absolute and returns the files those types live in. */
function referencedFiles(file: FileDescriptorProto, definedIn: ReadonlyMap<string, string>): Set<string> {
  const files = new Set<string>();
  const prefix = file.package ? `.${file.package}` : '';
  const resolve = (name: string, scope: string, what: string): string => {
    const absolute = absoluteName(name, scope, definedIn);
    const home = definedIn.get(absolute);
    if (home === undefined) throw new ConfigError(`Schema file ${file.name}: ${what} refers to unknown type ${name.slice(0, 200)}`);
    files.add(home);
    return absolute;
  };
  const visitField = (field: FieldDescriptorProto, scope: string) => {
    // protobufjs writes json_name "" (protoc never does); read as given it would make every JSON key "".
    if (field.jsonName === '') field.jsonName = jsonName(field.name);
    if (field.typeName) field.typeName = resolve(field.typeName, scope, `field ${field.name}`);
    if (field.extendee) field.extendee = resolve(field.extendee, scope, `extension ${field.name}`);
  };
  const visit = (message: DescriptorProto, scope: string) => {
    const name = `${scope}.${message.name}`;
    for (const field of message.field) visitField(field, name);
    for (const extension of message.extension) visitField(extension, name);
    for (const nested of message.nestedType) visit(nested, name);
  };
  for (const message of file.messageType) visit(message, prefix);
  for (const extension of file.extension) visitField(extension, prefix);
  for (const service of file.service) {
    for (const method of service.method) {
      method.inputType = resolve(method.inputType, prefix, `method ${service.name}.${method.name}`);
      method.outputType = resolve(method.outputType, prefix, `method ${service.name}.${method.name}`);
    }
  }
  return files;
}

/** protoc's json_name: underscores dropped, the letter after each one upper-cased (`order_number` → `orderNumber`). */
function jsonName(fieldName: string): string {
  return fieldName.replace(/_+([a-z]?)/g, (_match, letter: string) => letter.toUpperCase());
}

/** protobuf's scoping: `Bar` inside `.a.b.Foo` is looked up as `.a.b.Foo.Bar`, `.a.b.Bar`, `.a.Bar`, `.Bar`. */
function absoluteName(name: string, scope: string, known: ReadonlyMap<string, string>): string {
  if (name.startsWith('.')) return name;
  for (let current = scope; ; current = current.slice(0, current.lastIndexOf('.'))) {
    const candidate = `${current}.${name}`;
    if (known.has(candidate)) return candidate;
    if (current === '') return candidate;
  }
}

/** Files ordered so each comes after its imports (the order a FileDescriptorSet is read in). */
function dependenciesFirst(byName: ReadonlyMap<string, FileDescriptorProto>): FileDescriptorProto[] {
  const ordered: FileDescriptorProto[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: FileDescriptorProto) => {
    const seen = state.get(file.name);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new ConfigError(`Schema file ${file.name} is part of an import cycle`);
    state.set(file.name, 'visiting');
    for (const dependency of file.dependency) visit(byName.get(dependency)!);
    state.set(file.name, 'done');
    ordered.push(file);
  };
  for (const file of byName.values()) visit(file);
  return ordered;
}
