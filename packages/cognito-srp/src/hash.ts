import { createHash, createHmac, hkdfSync } from 'node:crypto';

/** Lowercase hex SHA-256; strings are hashed as UTF-8 like @aws-crypto/sha256-js does. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 of the bytes a hex string encodes (the library's hexHash). */
export function hexHash(hex: string): string {
  return sha256Hex(Buffer.from(hex, 'hex'));
}

/** Cognito's key derivation: HKDF-SHA256, info "Caldera Derived Key", first 16 bytes. */
export function cognitoHkdf(ikm: Uint8Array, salt: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, 'Caldera Derived Key', 16));
}

export function hmacSha256(key: Uint8Array | string, data: Uint8Array | string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
