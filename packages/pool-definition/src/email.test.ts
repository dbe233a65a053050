import { describe, expect, it } from 'vitest';
import { normaliseEmail, sameEmail } from './email.ts';

describe('normaliseEmail', () => {
  it('folds case, trims, and keeps an ordinary address as it is', () => {
    expect(normaliseEmail('  Victim@Example.COM ')).toBe('victim@example.com');
    expect(normaliseEmail('victim@example.com')).toBe('victim@example.com');
  });

  it('makes composed and decomposed letters one address (NFC)', () => {
    const composed = 'jos\u00e9@example.com';
    const decomposed = 'jose\u0301@example.com';
    expect(composed).not.toBe(decomposed);
    expect(normaliseEmail(decomposed)).toBe(composed);
    expect(sameEmail('JOSE\u0301@EXAMPLE.COM', composed)).toBe(true);
  });

  it('drops the trailing dot of a fully qualified domain', () => {
    expect(normaliseEmail('victim@example.com.')).toBe('victim@example.com');
    expect(normaliseEmail('Victim@Example.Com..')).toBe('victim@example.com');
    // A dot in the local part is the mailbox's own business.
    expect(normaliseEmail('first.last.@example.com')).toBe('first.last.@example.com');
  });

  it('folds non-ASCII capitals without a locale (no Turkish dotless i surprises)', () => {
    expect(normaliseEmail('\u00c9MILE@EXAMPLE.COM')).toBe('\u00e9mile@example.com');
    expect(normaliseEmail('I@example.com')).toBe('i@example.com');
  });

  it('keeps "ß" (full case folding would mail "ss", another mailbox)', () => {
    expect(normaliseEmail('STRAßE@example.com')).toBe('straße@example.com');
    expect(sameEmail('strasse@example.com', 'straße@example.com')).toBe(false);
  });

  it('leaves a string without "@" trimmed and folded (schemas reject it elsewhere)', () => {
    expect(normaliseEmail(' Not-An-Address ')).toBe('not-an-address');
  });
});
