import { fromBinary, type FileRegistry } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { createSsmBackedCache } from '../credentials/createSsmBackedCache.ts';
import { fallbackDeadline } from '../credentials/fallbackDeadline.ts';
import { readParameters } from '../credentials/ssmParameterReader.ts';
import { ConfigError, isMeshError } from '../errors/meshErrors.ts';
import type { Deadline } from '../invoke/deadline.ts';
import { createSchemaRegistry } from './createSchemaRegistry.ts';

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

const schemas = createSsmBackedCache<{ version: number; registry: FileRegistry }>();

/**
 * The schema held in an SSM parameter as a base64 `FileDescriptorSet` (`protoc --include_imports
 * --descriptor_set_out`, or `buf build -o`), cached like credentials: read once per cache age,
 * parsed only when the parameter's version changes, served stale during an SSM outage.
 *
 * @example
 * const registry = await loadDescriptorSchema('/meshgate/prod/inventory/descriptor', deadline);
 */
export async function loadDescriptorSchema(parameter: string, deadline: Deadline): Promise<FileRegistry> {
  const loaded = await schemas.get(parameter, async (previous, context) => {
    const values = await readParameters([parameter], fallbackDeadline(deadline, context));
    const value = values.get(parameter);
    if (!value) throw new ConfigError(`Descriptor parameter ${parameter} has no value`);
    if (previous?.version === value.version) return { value: previous };
    return { value: { version: value.version, registry: parseDescriptorSet(value.value, parameter) } };
  });
  return loaded.registry;
}

function parseDescriptorSet(text: string, parameter: string): FileRegistry {
  if (!BASE64.test(text)) throw new ConfigError(`Descriptor parameter ${parameter} is not base64`);
  let files;
  try {
    files = fromBinary(FileDescriptorSetSchema, Buffer.from(text, 'base64')).file;
  } catch (error) {
    throw new ConfigError(`Descriptor parameter ${parameter} does not hold a FileDescriptorSet`, { cause: error });
  }
  if (files.length === 0) throw new ConfigError(`Descriptor parameter ${parameter} holds an empty FileDescriptorSet`);
  try {
    return createSchemaRegistry(files);
  } catch (error) {
    if (!isMeshError(error)) throw error;
    throw new ConfigError(`Descriptor parameter ${parameter}: ${error.text}`, { cause: error });
  }
}
