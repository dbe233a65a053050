import { describe, expect, it } from 'vitest';
import { TokenMalformedError } from './token-errors.ts';
import { assertTokenFormat, decodeCanonicalSegment, MAX_TOKEN_CHARS } from './token-format.ts';

const seg = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const sig = Buffer.alloc(256, 7).toString('base64url');
const good = `${seg({ alg: 'RS256', kid: 'k1' })}.${seg({ sub: 'x' })}.${sig}`;

describe('token format', () => {
  it('accepts a well-formed RS256 compact JWS', () => {
    expect(assertTokenFormat(good).header).toEqual({ alg: 'RS256', kid: 'k1' });
  });

  it.each([
    ['a trailing "=" on the signature', `${good}=`],
    [
      'standard base64 characters',
      good.replace(/-/g, '+').replace(/_/g, '/') + (good.includes('-') ? '' : '+'),
    ],
    ['four segments', `${good}.x`],
    ['an empty signature', good.slice(0, good.lastIndexOf('.') + 1)],
    ['alg none', `${seg({ alg: 'none', kid: 'k1' })}.${seg({ sub: 'x' })}.${sig}`],
    ['alg HS256', `${seg({ alg: 'HS256', kid: 'k1' })}.${seg({ sub: 'x' })}.${sig}`],
    ['no kid', `${seg({ alg: 'RS256' })}.${seg({ sub: 'x' })}.${sig}`],
    ['an embedded jwk', `${seg({ alg: 'RS256', kid: 'k', jwk: {} })}.${seg({ sub: 'x' })}.${sig}`],
    ['a jku header', `${seg({ alg: 'RS256', kid: 'k', jku: 'https://x' })}.${seg({ sub: 'x' })}.${sig}`],
    ['a non-object payload', `${seg({ alg: 'RS256', kid: 'k' })}.${seg([1])}.${sig}`],
    ['an oversized token', `${seg({ alg: 'RS256', kid: 'k' })}.${'A'.repeat(MAX_TOKEN_CHARS)}.${sig}`],
  ])('refuses %s', (_name, token) => {
    expect(() => assertTokenFormat(token)).toThrow(TokenMalformedError);
  });

  it('refuses a non-canonical last character (unused low bits set)', () => {
    // "AB" and "AC" decode to the same byte; only "AA"... is canonical for 0x00.
    expect(decodeCanonicalSegment('AA', 10)).toEqual(Buffer.from([0]));
    expect(() => decodeCanonicalSegment('AB', 10)).toThrow(/canonical/);
  });
});
