import { IdentityUnavailableError } from '../errors/meshErrors.ts';

/** A transport failure talking to the identity provider: always retryable from ASL. */
export function identityFailure(text: string, cause: unknown): IdentityUnavailableError {
  const code = (cause as { code?: string; name?: string }).code ?? (cause as Error).name ?? 'Error';
  return new IdentityUnavailableError(`${text} (${code})`, { cause });
}
