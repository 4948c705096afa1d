/**
 * The contract's error names (CONTRACT.md section 4). Step Functions matches `error.name`
 * exactly in `Retry`/`Catch`, so every name is a string literal set on the class (esbuild
 * `keepNames` keeps class names, but the literal is what callers rely on).
 */
export const MeshErrorName = {
  InvalidTask: 'Mesh.InvalidTask',
  UnknownService: 'Mesh.UnknownService',
  ConfigError: 'Mesh.ConfigError',
  CredentialsUnavailable: 'Mesh.CredentialsUnavailable',
  IdentityUnavailable: 'Mesh.IdentityUnavailable',
  Unauthorized: 'Mesh.Unauthorized',
  ClientError: 'Mesh.ClientError',
  Throttled: 'Mesh.Throttled',
  Unavailable: 'Mesh.Unavailable',
  ServerError: 'Mesh.ServerError',
  Timeout: 'Mesh.Timeout',
  ResponseTooLarge: 'Mesh.ResponseTooLarge',
  BadResponse: 'Mesh.BadResponse',
} as const;

export type MeshErrorName = (typeof MeshErrorName)[keyof typeof MeshErrorName];

/** What the one-line JSON `message` of a thrown error carries besides its text. */
export interface MeshErrorDetails {
  service?: string;
  status?: number;
  retryAfterSeconds?: number;
  /** First 512 bytes of the answer's body, secrets removed. */
  detail?: string;
  /** gRPC status code, for the gRPC invoker. */
  grpcCode?: number;
  /**
   * gRPC: the `google.rpc.Status` details of a failed call (`grpc-status-details-bin`), each as
   * proto3 JSON with its `@type`, secrets removed, as many whole entries as fit in 2 KiB.
   */
  grpcDetails?: unknown[];
}

export interface MeshErrorOptions extends ErrorOptions, MeshErrorDetails {}

/**
 * Base of every error the invokers throw. `message` is one line of JSON so that a
 * Catch state can parse `$.Cause` (`States.StringToJson` / `$parse`).
 */
export abstract class MeshError extends Error {
  abstract override readonly name: MeshErrorName;
  /** The human text, before it is wrapped into the JSON `message`. */
  readonly text: string;
  readonly details: MeshErrorDetails;

  constructor(text: string, options: MeshErrorOptions = {}) {
    const { cause, ...details } = options;
    super(text, cause === undefined ? undefined : { cause });
    this.text = text;
    this.details = pickDefined(details);
    this.message = JSON.stringify({ message: text, ...this.details });
  }

  /** The same error with more context (for example the service name once it is known). */
  withDetails(extra: MeshErrorDetails): this {
    Object.assign(this.details, pickDefined(extra));
    this.message = JSON.stringify({ message: this.text, ...this.details });
    return this;
  }
}

function pickDefined(details: MeshErrorDetails): MeshErrorDetails {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) if (value !== undefined) out[key] = value;
  return out as MeshErrorDetails;
}

export class InvalidTaskError extends MeshError {
  readonly name = 'Mesh.InvalidTask' as const;
}
export class UnknownServiceError extends MeshError {
  readonly name = 'Mesh.UnknownService' as const;
}
export class ConfigError extends MeshError {
  readonly name = 'Mesh.ConfigError' as const;
}
export class CredentialsUnavailableError extends MeshError {
  readonly name = 'Mesh.CredentialsUnavailable' as const;
}
export class IdentityUnavailableError extends MeshError {
  readonly name = 'Mesh.IdentityUnavailable' as const;
}
export class UnauthorizedError extends MeshError {
  readonly name = 'Mesh.Unauthorized' as const;
}
export class ClientError extends MeshError {
  readonly name = 'Mesh.ClientError' as const;
}
export class ThrottledError extends MeshError {
  readonly name = 'Mesh.Throttled' as const;
}
export class UnavailableError extends MeshError {
  readonly name = 'Mesh.Unavailable' as const;
}
export class ServerError extends MeshError {
  readonly name = 'Mesh.ServerError' as const;
}
export class TimeoutError extends MeshError {
  readonly name = 'Mesh.Timeout' as const;
}
export class ResponseTooLargeError extends MeshError {
  readonly name = 'Mesh.ResponseTooLarge' as const;
}
export class BadResponseError extends MeshError {
  readonly name = 'Mesh.BadResponse' as const;
}

export function isMeshError(error: unknown): error is MeshError {
  return error instanceof MeshError;
}
