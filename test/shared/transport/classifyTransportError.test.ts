import { describe, expect, it } from 'vitest';
import { errors, request } from 'undici';
import { classifyTransportError, errorCode } from '../../../shared/transport/classifyTransportError.ts';
import { freePort } from '../../mesh/freePort.ts';

const withCode = (code: string) => Object.assign(new Error(`failure ${code}`), { code });

describe('Function: classifyTransportError', () => {
  it.each([
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
  ])('calls %s untrusted on a new or a reused connection', (code) => {
    // Prepare
    const error = withCode(code);

    // Act
    const kinds = [classifyTransportError(error, true), classifyTransportError(error, false)];

    // Assess
    expect(kinds).toEqual(['untrusted', 'untrusted']);
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])(
    'calls %s unreachable',
    (code) => {
      // Prepare
      const error = withCode(code);

      // Act
      const kinds = [classifyTransportError(error, true), classifyTransportError(error, false)];

      // Assess
      expect(kinds).toEqual(['unreachable', 'unreachable']);
    },
  );

  it.each(['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'ERR_TLS_HANDSHAKE_TIMEOUT'])(
    'calls the handshake failure %s refused',
    (code) => {
      // Prepare
      const error = withCode(code);

      // Act
      const kinds = [classifyTransportError(error, true), classifyTransportError(error, false)];

      // Assess
      expect(kinds).toEqual(['refused', 'refused']);
    },
  );

  it.each([
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'ECONNRESET',
    'EPIPE',
    'ERR_HTTP2_STREAM_ERROR',
    'ERR_HTTP2_SESSION_ERROR',
    'ERR_HTTP2_GOAWAY_SESSION',
    'ERR_HTTP2_INVALID_SESSION',
    'ERR_STREAM_PREMATURE_CLOSE',
  ])('calls a closed connection (%s) refused when it was new and stale when it was reused', (code) => {
    // Prepare
    const error = withCode(code);

    // Act
    const onNew = classifyTransportError(error, true);
    const onReused = classifyTransportError(error, false);

    // Assess
    expect([onNew, onReused]).toEqual(['refused', 'stale']);
  });

  it('classifies a real undici SocketError by its code', () => {
    // Prepare
    const error = new errors.SocketError('other side closed');

    // Act
    const kinds = [classifyTransportError(error, true), classifyTransportError(error, false)];

    // Assess
    expect(kinds).toEqual(['refused', 'stale']);
  });

  it('follows the cause chain to find the code', () => {
    // Prepare
    const error = new Error('fetch failed', { cause: new Error('connect failed', { cause: withCode('ECONNREFUSED') }) });

    // Act
    const kind = classifyTransportError(error, true);

    // Assess
    expect(kind).toBe('unreachable');
  });

  it('uses the outermost code when several errors in the chain have one', () => {
    // Prepare
    const error = Object.assign(new Error('outer', { cause: withCode('ECONNREFUSED') }), { code: 'UND_ERR_SOCKET' });

    // Act
    const kind = classifyTransportError(error, false);

    // Assess
    expect(kind).toBe('stale');
  });

  it('calls an unknown failure unreachable', () => {
    // Prepare
    const error = withCode('UND_ERR_SOMETHING_NEW');

    // Act
    const kinds = [classifyTransportError(error, true), classifyTransportError(new Error('no code'), false)];

    // Assess
    expect(kinds).toEqual(['unreachable', 'unreachable']);
  });

  it('never decides on the message text', () => {
    // Prepare
    const error = new Error('ECONNRESET other side closed CERT_HAS_EXPIRED');

    // Act
    const kind = classifyTransportError(error, false);

    // Assess
    expect(kind).toBe('unreachable');
  });

  it('calls a real refused connection on loopback unreachable', async () => {
    // Prepare
    const port = await freePort();
    let caught: unknown;

    // Act
    try {
      await request(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000) });
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(errorCode(caught)).toBe('ECONNREFUSED');
    expect(classifyTransportError(caught, true)).toBe('unreachable');
  });
});

describe('Function: errorCode', () => {
  it('returns the first string code down the cause chain', () => {
    // Prepare
    const error = new Error('a', { cause: Object.assign(new Error('b'), { code: 42, cause: withCode('EPIPE') }) });

    // Act
    const code = errorCode(error);

    // Assess
    expect(code).toBe('EPIPE');
  });

  it('stops after four levels and falls back to the name', () => {
    // Prepare
    let error: Error = withCode('ECONNRESET');
    for (let i = 0; i < 4; i++) error = new Error(`level ${i}`, { cause: error });
    error.name = 'DeepError';

    // Act
    const code = errorCode(error);

    // Assess
    expect(code).toBe('DeepError');
  });

  it('returns UNKNOWN for nothing', () => {
    // Prepare
    const error = undefined;

    // Act
    const code = errorCode(error);

    // Assess
    expect(code).toBe('UNKNOWN');
  });
});
