import { isMeshError } from '../../shared/errors/meshErrors.ts';
import { errorCode } from '../../shared/transport/classifyTransportError.ts';

/**
 * A failure in one line for the report: a Mesh error's name and text (already free of secrets), a
 * foreign error's name and code only, since its message may quote what it failed to parse.
 *
 * @example
 * describeError(new ConfigError('Catalog is not valid JSON')) // 'Mesh.ConfigError: Catalog is not valid JSON'
 */
export function describeError(error: unknown): string {
  if (isMeshError(error)) {
    const status = error.details.status === undefined ? '' : ` (status ${error.details.status})`;
    return `${error.name}: ${error.text}${status}`;
  }
  return `${(error as Error | undefined)?.name ?? 'Error'} (${errorCode(error)})`;
}
