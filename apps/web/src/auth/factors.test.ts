import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import { groupedSecret, otpauthUri } from './factors.ts';

describe('authenticator set-up helpers', () => {
  it('builds the otpauth:// URI authenticator apps read from the QR code', () => {
    const uri = otpauthUri('Cognito Stack', 'ann+1@example.com', 'JBSWY3DPEHPK3PXP');
    // Read back as an authenticator library reads it.
    const parsed = OTPAuth.URI.parse(uri) as OTPAuth.TOTP;
    expect(parsed).toBeInstanceOf(OTPAuth.TOTP);
    expect(parsed.issuer).toBe('Cognito Stack');
    expect(parsed.label).toBe('ann+1@example.com');
    expect(parsed.secret.base32).toBe('JBSWY3DPEHPK3PXP');
    expect([parsed.algorithm, parsed.digits, parsed.period]).toEqual(['SHA1', 6, 30]);
  });

  it('groups the manual key by four characters', () => {
    expect(groupedSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
  });
});
