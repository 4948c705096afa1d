import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ResponseTooLargeError,
  TimeoutError,
  UnauthorizedError,
  UnavailableError,
} from '../../../shared/errors/meshErrors.ts';
import { attemptFailureError } from '../../../shared/invoke/attemptFailureError.ts';
import { AttemptFailure, type AttemptFailureKind } from '../../../shared/transport/attemptFailure.ts';

describe('Function: attemptFailureError', () => {
  it.each<[AttemptFailureKind, string, unknown, string, string]>([
    ['timeout', 'ATTEMPT_TIMEOUT', TimeoutError, 'Mesh.Timeout', 'Attempt timed out waiting for the service'],
    ['tooLarge', 'BODY_OVER_LIMIT', ResponseTooLargeError, 'Mesh.ResponseTooLarge', 'Response body is over 1048576 bytes'],
    ['refused', 'UND_ERR_SOCKET', UnauthorizedError, 'Mesh.Unauthorized', 'Ingress refused the TLS connection (UND_ERR_SOCKET)'],
    [
      'untrusted',
      'SELF_SIGNED_CERT_IN_CHAIN',
      ConfigError,
      'Mesh.ConfigError',
      'Ingress certificate does not verify against caParameter (SELF_SIGNED_CERT_IN_CHAIN)',
    ],
    ['cut', 'ECONNRESET', UnavailableError, 'Mesh.Unavailable', 'Connection closed while reading the response (ECONNRESET)'],
    ['stale', 'UND_ERR_SOCKET', UnavailableError, 'Mesh.Unavailable', 'Ingress unreachable (UND_ERR_SOCKET)'],
    ['unreachable', 'ECONNREFUSED', UnavailableError, 'Mesh.Unavailable', 'Ingress unreachable (ECONNREFUSED)'],
  ])('maps a %s failure (%s) to its contract error', (kind, code, ErrorClass, name, message) => {
    // Prepare
    const failure = new AttemptFailure(kind, code, { cause: Object.assign(new Error('low level'), { code }) });

    // Act
    const error = attemptFailureError(failure, 'orders', 1024 * 1024);

    // Assess
    expect(error).toBeInstanceOf(ErrorClass as new () => Error);
    expect(error.name).toBe(name);
    expect(JSON.parse(error.message)).toEqual({ message, service: 'orders' });
    expect(error.cause).toBe(failure);
  });

  it('covers every failure kind', () => {
    // Prepare
    const kinds: AttemptFailureKind[] = ['stale', 'refused', 'untrusted', 'unreachable', 'cut', 'timeout', 'tooLarge'];

    // Act
    const names = kinds.map((kind) => attemptFailureError(new AttemptFailure(kind, 'X'), 'orders', 1).name);

    // Assess
    expect(names.every((name) => name.startsWith('Mesh.'))).toBe(true);
  });
});
