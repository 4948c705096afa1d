import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { ConfigError, CredentialsUnavailableError } from '../errors/meshErrors.ts';
import type { Deadline } from '../invoke/deadline.ts';
import { errorCode } from '../transport/classifyTransportError.ts';

export interface ParameterValue {
  value: string;
  version: number;
}

// SDK errors that mean "the caller is not allowed", a deployment mistake rather than an outage.
const PERMISSION_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'UnrecognizedClientException']);

/**
 * Powertools' SSMProvider, extended with one atomic read of a group of parameters.
 * `getParametersByName` would serve part of a group from its per-name cache and part from SSM,
 * which can pair a new certificate with an old key; it also drops `Version`. meshgate caches
 * whole groups itself (RefreshingCache) and reads each group with exactly one GetParameters call.
 */
class GroupReadingSSMProvider extends SSMProvider {
  async readGroup(names: readonly string[], deadline: Deadline): Promise<Map<string, ParameterValue>> {
    const result = await this.client.send(
      new GetParametersCommand({ Names: [...names], WithDecryption: true }),
      { abortSignal: deadline.signal() },
    );
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
}

let provider: GroupReadingSSMProvider | undefined;

/**
 * Reads up to 10 parameters (decrypted) in one GetParameters call. The SDK's standard retry
 * (jittered backoff) absorbs throttling within the deadline; what is left becomes
 * `Mesh.CredentialsUnavailable`, and missing parameters or denied access `Mesh.ConfigError`.
 *
 * @example
 * const values = await readParameters(['/meshgate/prod/client/cert'], deadline);
 */
export async function readParameters(
  names: readonly string[],
  deadline: Deadline,
): Promise<Map<string, ParameterValue>> {
  // Endpoint comes from AWS_ENDPOINT_URL_SSM through the SDK's own configuration chain.
  provider ??= new GroupReadingSSMProvider({ clientConfig: { maxAttempts: 6 } });
  if (deadline.expired()) throw new CredentialsUnavailableError('Deadline reached before reading SSM');
  try {
    return await provider.readGroup(names, deadline);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const name = (error as Error).name;
    if (PERMISSION_ERRORS.has(name)) {
      throw new ConfigError(`SSM refused access to: ${names.join(', ')}`, { cause: error });
    }
    const reason = name === 'Error' ? errorCode(error) : name;
    throw new CredentialsUnavailableError(`SSM unavailable (${reason})`, { cause: error });
  }
}
