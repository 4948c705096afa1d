import { IdentityUnavailableError } from '../errors/meshErrors.ts';
import { errorCode } from '../transport/classifyTransportError.ts';

/** A transport failure talking to the identity provider: always retryable from ASL. */
export function identityFailure(text: string, cause: unknown): IdentityUnavailableError {
  // An abort carries a numeric DOMException code (23 for a timeout); its name says more.
  const code = typeof (cause as { code?: unknown }).code === 'string' ? errorCode(cause) : ((cause as Error).name ?? 'Error');
  return new IdentityUnavailableError(`${text} (${code})`, { cause });
}
