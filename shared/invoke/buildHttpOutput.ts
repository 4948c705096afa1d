import type { ServiceConfig } from '../catalog/catalogTypes.ts';
import { isMeshError, ResponseTooLargeError } from '../errors/meshErrors.ts';
import { parseResponseBody } from '../result/parseResponseBody.ts';
import { pickResponseHeaders } from '../result/pickResponseHeaders.ts';
import { selectJsonPointer } from '../result/selectJsonPointer.ts';
import type { AttemptResponse } from '../transport/sendAttempt.ts';
import type { HttpOutput, InvocationMeta } from './httpOutput.ts';
import { outputSizeBound } from './outputSizeBound.ts';

/** Default cap on serialized output: under Step Functions' 256 KiB state payload limit, with room for the state's own data. */
export const DEFAULT_MAX_OUTPUT_BYTES = 240 * 1024;

/**
 * State output from a response: allow-listed headers, the body parsed by content type, `select`
 * applied, and the serialized size checked so an oversized answer fails here as
 * `Mesh.ResponseTooLarge` rather than later as `States.DataLimitExceeded`.
 */
export function buildHttpOutput(
  response: AttemptResponse,
  ok: boolean,
  service: ServiceConfig,
  select: string | undefined,
  meta: InvocationMeta,
): HttpOutput {
  let body: unknown;
  try {
    body = parseResponseBody(response.headers['content-type'], response.body);
    if (select !== undefined && ok) body = selectJsonPointer(body, select);
  } catch (error) {
    throw isMeshError(error) ? error.withDetails({ service: meta.service, status: response.status }) : error;
  }
  const headers = pickResponseHeaders(response.headers, service.responseHeaders);
  const output: HttpOutput = { ok, status: response.status, headers, body, meta };
  const maxOutputBytes = service.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  // Serializing the whole output only to measure it is skipped when it cannot be too large.
  if (outputSizeBound(response.body, headers) <= maxOutputBytes) return output;
  const size = Buffer.byteLength(JSON.stringify(output));
  if (size > maxOutputBytes) {
    throw new ResponseTooLargeError(`Output is ${size} bytes, over the ${maxOutputBytes}-byte cap`, {
      service: meta.service,
      status: response.status,
    });
  }
  return output;
}
