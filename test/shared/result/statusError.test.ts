import { describe, expect, it } from 'vitest';
import {
  BadResponseError,
  ClientError,
  ServerError,
  ThrottledError,
  TimeoutError,
  UnauthorizedError,
  UnavailableError,
} from '../../../shared/errors/meshErrors.ts';
import { isReturnableStatus, statusError } from '../../../shared/result/statusError.ts';

describe('Function: statusError', () => {
  it.each([
    [401, UnauthorizedError, 'Mesh.Unauthorized'],
    [403, UnauthorizedError, 'Mesh.Unauthorized'],
    [408, TimeoutError, 'Mesh.Timeout'],
    [429, ThrottledError, 'Mesh.Throttled'],
    [502, UnavailableError, 'Mesh.Unavailable'],
    [503, UnavailableError, 'Mesh.Unavailable'],
    [504, UnavailableError, 'Mesh.Unavailable'],
    [500, ServerError, 'Mesh.ServerError'],
    [501, ServerError, 'Mesh.ServerError'],
    [505, ServerError, 'Mesh.ServerError'],
    [599, ServerError, 'Mesh.ServerError'],
    [400, ClientError, 'Mesh.ClientError'],
    [404, ClientError, 'Mesh.ClientError'],
    [409, ClientError, 'Mesh.ClientError'],
    [422, ClientError, 'Mesh.ClientError'],
    [301, ClientError, 'Mesh.ClientError'],
    [304, ClientError, 'Mesh.ClientError'],
    [307, ClientError, 'Mesh.ClientError'],
  ])('maps %i to its contract error', (status, ErrorClass, name) => {
    // Prepare
    const details = { service: 'orders', status, detail: 'body text' };

    // Act
    const error = statusError(status, details);

    // Assess
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.name).toBe(name);
    expect(JSON.parse(error.message)).toEqual({ message: `Service answered ${status}`, service: 'orders', status, detail: 'body text' });
  });

  it.each([200, 201, 204, 206])('maps a %i that successStatus does not list to Mesh.BadResponse', (status) => {
    // Prepare
    const details = { service: 'orders', status };

    // Act
    const error = statusError(status, details);

    // Assess
    expect(error).toBeInstanceOf(BadResponseError);
    expect(error.name).toBe('Mesh.BadResponse');
    expect(JSON.parse(error.message)).toEqual({
      message: `Service answered ${status}, which successStatus does not list`,
      service: 'orders',
      status,
    });
  });

  it('carries retryAfterSeconds for a 429 and a 503', () => {
    // Prepare
    const details = (status: number) => ({ service: 'orders', status, retryAfterSeconds: 7 });

    // Act
    const errors = [statusError(429, details(429)), statusError(503, details(503))];

    // Assess
    expect(errors.map((error) => JSON.parse(error.message).retryAfterSeconds)).toEqual([7, 7]);
  });

  it('leaves out details that are undefined (no Retry-After header)', () => {
    // Prepare
    const details = { service: 'orders', status: 503, retryAfterSeconds: undefined };

    // Act
    const error = statusError(503, details);

    // Assess
    expect(JSON.parse(error.message)).toEqual({ message: 'Service answered 503', service: 'orders', status: 503 });
  });
});

describe('Function: isReturnableStatus', () => {
  it.each([
    [301, true],
    [304, true],
    [400, true],
    [401, true],
    [403, true],
    [404, true],
    [409, true],
    [499, true],
    [408, false],
    [429, false],
    [500, false],
    [503, false],
    [204, false],
  ])('says %i → %s', (status, expected) => {
    // Prepare
    const input = status;

    // Act
    const returnable = isReturnableStatus(input);

    // Assess
    expect(returnable).toBe(expected);
  });
});
