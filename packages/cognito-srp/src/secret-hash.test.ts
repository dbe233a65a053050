import { describe, expect, it } from 'vitest';
import { SrpInputError } from './errors.ts';
import { secretHash } from './secret-hash.ts';
import { Sha256 } from './test-support/library.ts';

/** Independent HMAC: the pure-JS SHA-256 from @aws-crypto that the Cognito library ships with. */
function awsCryptoHmac(key: string, message: string): string {
  const hmac = new Sha256(Buffer.from(key, 'utf8'));
  hmac.update(Buffer.from(message, 'utf8'));
  return Buffer.from(hmac.digestSync()).toString('base64');
}

describe('secretHash', () => {
  it.each([
    ['alice@example.com', '1example23456789', 'secret-for-app-client'],
    ['ünïcødé', '7abcdefghijklmnopqrstuvwx', 'x'.repeat(52)],
  ])('is base64(HMAC-SHA256(secret, username + clientId)) for %s', (username, clientId, clientSecret) => {
    expect(secretHash(username, clientId, clientSecret)).toBe(
      awsCryptoHmac(clientSecret, username + clientId),
    );
  });

  it('depends on every input', () => {
    const base = secretHash('u', 'c', 's');
    expect(secretHash('v', 'c', 's')).not.toBe(base);
    expect(secretHash('u', 'd', 's')).not.toBe(base);
    expect(secretHash('u', 'c', 't')).not.toBe(base);
  });

  it('refuses empty inputs', () => {
    expect(() => secretHash('', 'c', 's')).toThrow(SrpInputError);
    expect(() => secretHash('u', 'c', '')).toThrow(SrpInputError);
  });
});
