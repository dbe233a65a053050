import { describe, expect, it } from 'vitest';
import { commonPasswords, commonPasswordsAtLeast } from './common-passwords.ts';
import { definition } from './definition.ts';
import { type PasswordRules, passwordRules, passwordViolations } from './password-policy.ts';

const strict: PasswordRules = {
  minimumLength: 8,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
};
const ids = (policy: PasswordRules, pw: string, common?: ReadonlySet<string>) =>
  passwordViolations(policy, pw, common).map((r) => r.id);

describe('password policy', () => {
  it('accepts a long passphrase under the pool policy', () => {
    expect(ids(definition.passwordPolicy, 'correct horse battery staple')).toEqual([]);
  });

  it('counts characters, not UTF-16 units', () => {
    const eleven = '😀'.repeat(11);
    expect([...eleven].length).toBe(11);
    expect(eleven.length).toBe(22);
    expect(ids(definition.passwordPolicy, eleven)).toEqual(['length']);
    expect(ids(definition.passwordPolicy, '😀'.repeat(12))).toEqual([]);
  });

  it('names each composition rule that is missing', () => {
    expect(ids(strict, 'abcdefgh')).toEqual(['uppercase', 'numbers', 'symbols']);
    expect(ids(strict, 'Abcdefg1!')).toEqual([]);
    // Non-Latin letters do not count as Cognito's lower/upper case.
    expect(ids(strict, 'éèàçùÉ1!')).toEqual(['lowercase', 'uppercase']);
  });

  it('counts an inner space as a symbol but refuses spaces at the edges', () => {
    expect(ids(strict, 'Abcd efg1')).toEqual([]);
    expect(ids(strict, ' Abcdefg1!')).toEqual(['edges']);
    expect(ids(strict, 'Abcdefg1! ')).toEqual(['edges']);
  });

  it('refuses more than 256 characters', () => {
    expect(ids(definition.passwordPolicy, 'a'.repeat(257))).toEqual(['maxLength']);
    expect(ids(definition.passwordPolicy, 'a'.repeat(256))).toEqual([]);
  });

  it('lists every applicable rule for hints, met or not', () => {
    const rules = passwordRules(definition.passwordPolicy, '');
    expect(rules.map((r) => r.id)).toEqual(['length', 'edges', 'maxLength']);
    expect(rules[0]).toMatchObject({ label: 'At least 12 characters', met: false });
  });
});

describe('common-password block list (ADR 0131)', () => {
  it('refuses a listed password in any letter case, only when the list is given', () => {
    expect(commonPasswords.has('qwerty123456')).toBe(true);
    expect(ids(definition.passwordPolicy, 'QWERTY123456', commonPasswords)).toEqual(['common']);
    expect(ids(definition.passwordPolicy, 'QWERTY123456')).toEqual([]);
    expect(ids(definition.passwordPolicy, 'correct horse battery staple', commonPasswords)).toEqual([]);
  });

  it('gives the browser exactly the entries its length rule leaves to decide', () => {
    const min = definition.passwordPolicy.minimumLength;
    const subset = new Set(commonPasswordsAtLeast(min));
    expect(subset.size).toBeGreaterThan(100);
    expect(subset.size).toBeLessThan(commonPasswords.size / 10);
    for (const p of commonPasswords) {
      const full = ids(definition.passwordPolicy, p, commonPasswords).length === 0;
      const browser = ids(definition.passwordPolicy, p, subset).length === 0;
      if (full !== browser) throw new Error(`decisions differ for a ${[...p].length}-character entry`);
    }
  });
});
