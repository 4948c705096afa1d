import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { ConfigError, CredentialsUnavailableError } from '../errors/meshErrors.ts';
import type { Deadline } from '../invoke/deadline.ts';
import { errorCode } from '../transport/classifyTransportError.ts';
import { SSM_MAX_ATTEMPTS, ssmRetryStrategy } from './ssmRetryStrategy.ts';

export interface ParameterValue {
  value: string;
  version: number;
}

/** One parameter version read through a `name:version` selector. */
export interface ParameterVersion extends ParameterValue {
  name: string;
}

// SDK errors that mean "the caller is not allowed", a deployment mistake rather than an outage.
const PERMISSION_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'UnrecognizedClientException']);

/**
 * SSM answers in milliseconds: a connection not up in 1 s, or an answer not back in 3 s, is
 * dropped and retried rather than waited on until the deadline.
 */
const CONNECTION_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 3_000;

/**
 * Powertools' SSMProvider, extended with one atomic read of a group of parameters.
 * `getParametersByName` would serve part of a group from its per-name cache and part from SSM,
 * which can pair a new certificate with an old key; it also drops `Version`. meshgate caches
 * whole groups itself (RefreshingCache) and reads each group with exactly one GetParameters call.
 */
class GroupReadingSSMProvider extends SSMProvider {
  async readGroup(names: readonly string[], deadline: Deadline) {
    return this.client.send(new GetParametersCommand({ Names: [...names], WithDecryption: true }), {
      abortSignal: deadline.signal(),
    });
  }
}

let provider: GroupReadingSSMProvider | undefined;

/**
 * Reads up to 10 parameters (decrypted) in one GetParameters call. The SDK's standard retry
 * (jittered backoff, see ssmRetryStrategy) absorbs throttling within the deadline; what is left
 * becomes `Mesh.CredentialsUnavailable`, and missing parameters or denied access `Mesh.ConfigError`.
 *
 * @example
 * const values = await readParameters(['/meshgate/prod/client/cert'], deadline);
 */
export async function readParameters(
  names: readonly string[],
  deadline: Deadline,
): Promise<Map<string, ParameterValue>> {
  const result = await send(names, deadline);
  if (result.InvalidParameters?.length) {
    throw new ConfigError(`SSM parameters not found: ${result.InvalidParameters.join(', ')}`);
  }
  const values = new Map<string, ParameterValue>();
  for (const parameter of result.Parameters ?? []) {
    if (parameter.Name && parameter.Value !== undefined) {
      values.set(parameter.Name, { value: parameter.Value, version: parameter.Version ?? 0 });
    }
  }
  return values;
}

/**
 * Reads specific versions (`name:version` selectors, up to 10) in one GetParameters call;
 * versions that do not exist (never written, or aged out of the 100-version history) are
 * left out rather than failing the read.
 *
 * @example
 * const older = await readParameterVersions([{ name: '/meshgate/prod/client/cert', version: 3 }], deadline);
 */
export async function readParameterVersions(
  selectors: ReadonlyArray<{ name: string; version: number }>,
  deadline: Deadline,
): Promise<ParameterVersion[]> {
  const result = await send(
    selectors.map(({ name, version }) => `${name}:${version}`),
    deadline,
  );
  const found: ParameterVersion[] = [];
  for (const parameter of result.Parameters ?? []) {
    if (parameter.Name && parameter.Value !== undefined && parameter.Version !== undefined) {
      found.push({ name: parameter.Name, value: parameter.Value, version: parameter.Version });
    }
  }
  return found;
}

async function send(names: readonly string[], deadline: Deadline) {
  // Endpoint comes from AWS_ENDPOINT_URL_SSM through the SDK's own configuration chain.
  provider ??= new GroupReadingSSMProvider({
    clientConfig: {
      maxAttempts: SSM_MAX_ATTEMPTS,
      retryStrategy: ssmRetryStrategy(),
      requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    },
  });
  if (deadline.expired()) throw new CredentialsUnavailableError('Deadline reached before reading SSM');
  try {
    return await provider.readGroup(names, deadline);
  } catch (error) {
    const name = (error as Error).name;
    if (PERMISSION_ERRORS.has(name)) {
      throw new ConfigError(`SSM refused access to: ${names.join(', ')}`, { cause: error });
    }
    const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
    const reason = name === 'Error' ? errorCode(error) : name;
    const text = deadline.expired() ? 'Deadline reached while reading SSM' : 'SSM unavailable';
    throw new CredentialsUnavailableError(`${text} (${reason}${attempts ? `, ${attempts} attempts` : ''})`, { cause: error });
  }
}
