import { isMeshError } from './meshErrors.ts';

/** Adds the service name to a Mesh error's JSON (once the task named it); other errors pass through. */
export function withServiceDetail(error: unknown, service: string): unknown {
  return isMeshError(error) ? error.withDetails({ service }) : error;
}
