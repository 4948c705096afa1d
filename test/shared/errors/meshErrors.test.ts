import { describe, expect, it } from 'vitest';
import {
  BadResponseError,
  ClientError,
  ConfigError,
  CredentialsUnavailableError,
  IdentityUnavailableError,
  InvalidTaskError,
  isMeshError,
  MeshError,
  MeshErrorName,
  ResponseTooLargeError,
  ServerError,
  ThrottledError,
  TimeoutError,
  UnauthorizedError,
  UnavailableError,
  UnknownServiceError,
} from '../../../shared/errors/meshErrors.ts';

// The names are an API (ASL Retry/Catch match them exactly), so they are spelled out here, not derived.
const CLASSES = [
  [InvalidTaskError, 'Mesh.InvalidTask'],
  [UnknownServiceError, 'Mesh.UnknownService'],
  [ConfigError, 'Mesh.ConfigError'],
  [CredentialsUnavailableError, 'Mesh.CredentialsUnavailable'],
  [IdentityUnavailableError, 'Mesh.IdentityUnavailable'],
  [UnauthorizedError, 'Mesh.Unauthorized'],
  [ClientError, 'Mesh.ClientError'],
  [ThrottledError, 'Mesh.Throttled'],
  [UnavailableError, 'Mesh.Unavailable'],
  [ServerError, 'Mesh.ServerError'],
  [TimeoutError, 'Mesh.Timeout'],
  [ResponseTooLargeError, 'Mesh.ResponseTooLarge'],
  [BadResponseError, 'Mesh.BadResponse'],
] as const;

describe('Class: MeshError', () => {
  it.each(CLASSES.map(([ErrorClass, name]) => ({ ErrorClass, name })))(
    'names $ErrorClass.name $name',
    ({ ErrorClass, name }) => {
      // Prepare
      const error = new ErrorClass('boom');

      // Act
      const seen = { name: error.name, isError: error instanceof Error, isMesh: error instanceof MeshError };

      // Assess
      expect(seen).toEqual({ name, isError: true, isMesh: true });
      expect(isMeshError(error)).toBe(true);
    },
  );

  it('lists every contract name in MeshErrorName and nothing else', () => {
    // Prepare
    const expected = CLASSES.map(([, name]) => name).sort();

    // Act
    const listed = Object.values(MeshErrorName).sort();

    // Assess
    expect(listed).toEqual(expected);
  });

  it('writes the message as one line of JSON even when the text has line breaks', () => {
    // Prepare
    const text = 'first line\nsecond line\r\nthird';

    // Act
    const error = new ServerError(text, { service: 'orders', status: 500, retryAfterSeconds: 2, detail: 'a\nb' });

    // Assess
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(JSON.parse(error.message)).toEqual({
      message: text,
      service: 'orders',
      status: 500,
      retryAfterSeconds: 2,
      detail: 'a\nb',
    });
    expect(error.text).toBe(text);
  });

  it('puts message first in the JSON so a truncated Cause still starts with it', () => {
    // Prepare
    const error = new ThrottledError('slow down', { status: 429, service: 'orders' });

    // Act
    const keys = Object.keys(JSON.parse(error.message) as object);

    // Assess
    expect(keys[0]).toBe('message');
  });

  it('omits details that are undefined', () => {
    // Prepare
    const details = { service: undefined, status: 503, retryAfterSeconds: undefined, detail: undefined };

    // Act
    const error = new UnavailableError('down', details);

    // Assess
    expect(JSON.parse(error.message)).toEqual({ message: 'down', status: 503 });
    expect(error.message).not.toContain('undefined');
    expect(error.details).toEqual({ status: 503 });
  });

  it('keeps the cause and leaves it out of the message', () => {
    // Prepare
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

    // Act
    const error = new UnavailableError('Ingress unreachable', { service: 'orders', cause });

    // Assess
    expect(error.cause).toBe(cause);
    expect(JSON.parse(error.message)).toEqual({ message: 'Ingress unreachable', service: 'orders' });
  });

  it('has no cause property when none is given', () => {
    // Prepare
    const text = 'no cause';

    // Act
    const error = new ConfigError(text);

    // Assess
    expect('cause' in error).toBe(false);
    expect(JSON.parse(error.message)).toEqual({ message: text });
  });

  it('merges details into the message with withDetails and returns the same error', () => {
    // Prepare
    const error = new CredentialsUnavailableError('SSM unavailable', { status: 400 });

    // Act
    const returned = error.withDetails({ service: 'orders', status: undefined, retryAfterSeconds: 1 });

    // Assess
    expect(returned).toBe(error);
    expect(returned).toBeInstanceOf(CredentialsUnavailableError);
    expect(returned.name).toBe('Mesh.CredentialsUnavailable');
    expect(JSON.parse(error.message)).toEqual({
      message: 'SSM unavailable',
      status: 400,
      service: 'orders',
      retryAfterSeconds: 1,
    });
  });

  it('overrides an existing detail with withDetails', () => {
    // Prepare
    const error = new ClientError('Service answered 404', { service: 'old', status: 404 });

    // Act
    error.withDetails({ service: 'orders' });

    // Assess
    expect(JSON.parse(error.message)).toEqual({ message: 'Service answered 404', service: 'orders', status: 404 });
  });

  it('does not treat foreign errors as mesh errors', () => {
    // Prepare
    const lookalike = Object.assign(new Error('{"message":"x"}'), { name: 'Mesh.Unavailable' });

    // Act
    const verdicts = [isMeshError(lookalike), isMeshError(undefined), isMeshError({ name: 'Mesh.Timeout' })];

    // Assess
    expect(verdicts).toEqual([false, false, false]);
  });
});
