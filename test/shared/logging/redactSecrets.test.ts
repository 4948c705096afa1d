import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/logging/redactSecrets.ts';

// Shaped like the real thing; none of these is a usable credential.
const PEM = ['-----BEGIN PRIVATE KEY-----', 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg', '-----END PRIVATE KEY-----'].join('\n');
const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJzdGVwLWZ1bmN0aW9ucyJ9.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';

describe('Function: redactSecrets', () => {
  it('leaves text without secrets unchanged', () => {
    // Prepare
    const text = '{"error":"order A-17 not found","hint":"check the id"}';

    // Act
    const redacted = redactSecrets(text);

    // Assess
    expect(redacted).toBe(text);
  });

  it('removes a whole PEM block', () => {
    // Prepare
    const text = `before ${PEM} after`;

    // Act
    const redacted = redactSecrets(text);

    // Assess
    expect(redacted).toBe('before [redacted] after');
  });

  it('removes a PEM block cut before its END line (a truncated detail)', () => {
    // Prepare
    const text = `dump: ${PEM.slice(0, 60)}`;

    // Act
    const redacted = redactSecrets(text);

    // Assess
    expect(redacted).toBe('dump: [redacted]');
  });

  it('removes a bare JWT', () => {
    // Prepare
    const text = `token was ${JWT}; rejected`;

    // Act
    const redacted = redactSecrets(text);

    // Assess
    expect(redacted).toBe('token was [redacted]; rejected');
  });

  it.each([
    ['Bearer', `authorization: Bearer ${JWT}`],
    ['Basic', 'authorization: Basic c3RlcC1mdW5jdGlvbnM6aHVudGVyMg=='],
    ['lower-case bearer', 'authorization: bearer opaque-token_value.123~'],
  ])('removes a %s credential', (_kind, text) => {
    // Prepare
    const expected = 'authorization: [redacted]';

    // Act
    const redacted = redactSecrets(text);

    // Assess
    expect(redacted).toBe(expected);
  });

  it('removes private JWK members and keeps public ones', () => {
    // Prepare
    const jwk = JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'pubX', y: 'pubY', d: 'privateScalarValue', kid: 'k1' });
    const rsa = '{"n":"modulus","e":"AQAB","p":"pp","q":"qq","dp":"dd1","dq":"dd2","qi":"ii"}';
    const oct = '{"kty":"oct", "k" : "c2VjcmV0"}';

    // Act
    const redacted = [redactSecrets(jwk), redactSecrets(rsa), redactSecrets(oct)];

    // Assess
    expect(redacted[0]).toBe('{"kty":"EC","crv":"P-256","x":"pubX","y":"pubY","d":"[redacted]","kid":"k1"}');
    expect(redacted[1]).toBe(
      '{"n":"modulus","e":"AQAB","p":"[redacted]","q":"[redacted]","dp":"[redacted]","dq":"[redacted]","qi":"[redacted]"}',
    );
    expect(redacted[2]).toBe('{"kty":"oct", "k":"[redacted]"}');
  });

  it('removes every occurrence of a known secret, taken literally', () => {
    // Prepare
    const secret = 'p@ss.w*rd+(1)?';
    const text = `first ${secret} second ${secret} and pXssXwXrd`;

    // Act
    const redacted = redactSecrets(text, [secret]);

    // Assess
    expect(redacted).toBe('first [redacted] second [redacted] and pXssXwXrd');
  });

  it('ignores known secrets shorter than 8 characters so ordinary words survive', () => {
    // Prepare
    const text = 'the order is ready';

    // Act
    const redacted = redactSecrets(text, ['order', 'ready']);

    // Assess
    expect(redacted).toBe(text);
  });

  it('accepts any iterable of known secrets', () => {
    // Prepare
    const secrets = new Set(['opaque-access-token-1', 'client-secret-value']);
    const text = 'got opaque-access-token-1 with client-secret-value';

    // Act
    const redacted = redactSecrets(text, secrets);

    // Assess
    expect(redacted).toBe('got [redacted] with [redacted]');
  });
});
