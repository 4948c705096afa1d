import { InvalidTaskError, MeshError } from '../errors/meshErrors.ts';

/**
 * What a task parser throws for anything that went wrong while reading the input: its own
 * `Mesh.InvalidTask`, with the service name once known.
 */
export function asInvalidTask(error: unknown, service: string | undefined): MeshError {
  const invalid =
    error instanceof MeshError
      ? error
      : // Only reachable with input that is not JSON data (a throwing getter, a Proxy): still a bad task.
        new InvalidTaskError('task input could not be read as JSON data', { cause: error });
  return service === undefined ? invalid : invalid.withDetails({ service });
}
