import type { AttemptFailureKind } from './attemptFailure.ts';

// The server's certificate did not verify (OpenSSL verify codes as Node exposes them).
const UNTRUSTED = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'INVALID_CA',
]);

// Nothing listened or the name did not resolve: the request cannot have reached anything.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

// A connection that closed or reset under us.
const CLOSED = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ECONNRESET',
  'EPIPE',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_INVALID_SESSION',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** The error's code, following `cause` links (undici wraps some errors). */
export function errorCode(error: unknown): string {
  let current = error as { code?: unknown; cause?: unknown; name?: string } | undefined;
  for (let depth = 0; current && depth < 4; depth++) {
    if (typeof current.code === 'string') return current.code;
    current = current.cause as typeof current;
  }
  return (error as Error | undefined)?.name ?? 'UNKNOWN';
}

/**
 * Classifies an error raised before response headers arrived.
 * `openedNewConnection` tells a refusal (a connection made for this attempt was cut) from a
 * stale pooled socket (an old connection died): the two look alike at the socket level.
 */
export function classifyTransportError(error: unknown, openedNewConnection: boolean): AttemptFailureKind {
  const code = errorCode(error);
  if (UNTRUSTED.has(code)) return 'untrusted';
  if (UNREACHABLE.has(code)) return 'unreachable';
  if (code.startsWith('ERR_SSL_') || code === 'ERR_TLS_HANDSHAKE_TIMEOUT') return 'refused';
  if (CLOSED.has(code)) return openedNewConnection ? 'refused' : 'stale';
  return 'unreachable';
}
