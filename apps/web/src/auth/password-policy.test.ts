import { definition } from '@app/pool-definition';
import { describe, expect, it } from 'vitest';
import { passwordAcceptable, passwordPolicy, passwordRules } from './password-policy.ts';

describe('password policy', () => {
  it('is the pool definition policy, compiled in', () => {
    expect(passwordPolicy.minimumLength).toBe(definition.passwordPolicy.minimumLength);
    expect(passwordPolicy.requireSymbols).toBe(definition.passwordPolicy.requireSymbols);
  });

  it('checks length in characters, not bytes, and refuses surrounding spaces', () => {
    const n = passwordPolicy.minimumLength;
    expect(passwordAcceptable('a'.repeat(n - 1))).toBe(false);
    expect(passwordAcceptable('a'.repeat(n))).toBe(true);
    expect(passwordAcceptable(`${'é'.repeat(n - 1)}😀`)).toBe(true);
    expect(passwordAcceptable(` ${'a'.repeat(n)}`)).toBe(false);
    // Cognito's ceiling: the hint appears only once it is broken.
    expect(passwordRules('a'.repeat(256)).map((r) => r.id)).not.toContain('maxLength');
    expect(passwordRules('a'.repeat(257)).find((r) => r.id === 'maxLength')?.met).toBe(false);
    expect(passwordAcceptable('a'.repeat(257))).toBe(false);
  });

  it('lists composition rules only when the policy asks for them', () => {
    const strict = {
      minimumLength: 8,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
    };
    const rules = passwordRules('abcdefgh', strict);
    expect(rules.map((r) => r.id)).toEqual([
      'length',
      'lowercase',
      'uppercase',
      'numbers',
      'symbols',
      'common',
      'edges',
    ]);
    expect(rules.filter((r) => !r.met).map((r) => r.id)).toEqual(['uppercase', 'numbers', 'symbols']);
    expect(passwordAcceptable('abcdEF12!x', strict)).toBe(true);
  });

  it('ticks nothing for an empty password', () => {
    expect(passwordRules('').filter((r) => r.met)).toEqual([]);
    expect(passwordRules('a').find((r) => r.id === 'edges')?.met).toBe(true);
  });
});

describe('common passwords (the shared block list, ADR 0131)', () => {
  it('refuses a listed password in any case with its own rule, like the IdP and the API', () => {
    expect(passwordAcceptable('Password1234')).toBe(false);
    expect(passwordRules('Password1234').find((r) => r.id === 'common')?.met).toBe(false);
    expect(passwordRules('correct horse battery').find((r) => r.id === 'common')?.met).toBe(true);
  });
});
