import { sign, verify } from 'node:crypto';
import type { SigningKey } from './keys.ts';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * RS256 over the claims. The RSA signature (~1–2 ms of CPU, two per sign-in) runs on libuv's thread
 * pool through `sign`'s callback form, not on the event loop (ADR 0201).
 */
export function signJwt(key: SigningKey, payload: Record<string, unknown>): Promise<string> {
  const header = b64url(JSON.stringify({ kid: key.kid, alg: 'RS256' }));
  const body = b64url(JSON.stringify(payload));
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(`${header}.${body}`), key.privateKey, (err, signature) =>
      err ? reject(err) : resolve(`${header}.${body}.${b64url(signature)}`),
    );
  });
}

/** Decodes and checks the signature of one of our own tokens; returns null when anything is off. */
export function verifyOwnJwt(key: SigningKey, token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [h, p, s] = parts as [string, string, string];
  // Only canonical base64url (no padding, no stray characters): one token, one encoding.
  if (![h, p, s].every((x) => /^[A-Za-z0-9_-]+$/.test(x))) return null;
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    if (header.alg !== 'RS256' || header.kid !== key.kid) return null;
    const sig = Buffer.from(s, 'base64url');
    if (sig.toString('base64url') !== s) return null;
    if (!verify('sha256', Buffer.from(`${h}.${p}`), key.publicKey, sig)) return null;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    return payload && typeof payload === 'object' ? payload : null;
  } catch {
    return null;
  }
}
