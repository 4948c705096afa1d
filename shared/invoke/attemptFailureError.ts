import {
  ConfigError,
  ResponseTooLargeError,
  TimeoutError,
  UnauthorizedError,
  UnavailableError,
  type MeshError,
} from '../errors/meshErrors.ts';
import type { AttemptFailure } from '../transport/attemptFailure.ts';

/** The contract's error for a transport failure that is not retried (any more). */
export function attemptFailureError(failure: AttemptFailure, service: string, maxResponseBytes: number): MeshError {
  const options = { service, status: failure.status, cause: failure };
  switch (failure.kind) {
    case 'timeout':
      return new TimeoutError('Attempt timed out waiting for the service', options);
    case 'tooLarge':
      return new ResponseTooLargeError(`Response body is over ${maxResponseBytes} bytes`, options);
    case 'refused':
      return new UnauthorizedError(`Ingress refused the TLS connection (${failure.code})`, options);
    case 'untrusted':
      return new ConfigError(`Ingress certificate does not verify against caParameter (${failure.code})`, options);
    case 'cut':
      return new UnavailableError(`Connection closed while reading the response (${failure.code})`, options);
    case 'stale':
    case 'unreachable':
      return new UnavailableError(`Ingress unreachable (${failure.code})`, options);
  }
}
