import { createRequire } from 'node:module';

/**
 * Typed handles on the real amazon-cognito-identity-js internals (its index.d.ts does not
 * declare AuthenticationHelper, DateHelper or BigInteger). Test-only.
 */
const require = createRequire(import.meta.url);

export interface LibBigInteger {
  toString(radix: number): string;
  compareTo(other: LibBigInteger): number;
}

interface LibBigIntegerCtor {
  new (value: string, radix: number): LibBigInteger;
}

type NodeCallback<T> = (err: Error | null, value: T) => void;

export interface LibAuthenticationHelper {
  smallAValue: LibBigInteger;
  largeAValue: LibBigInteger | undefined;
  g: LibBigInteger & { modPow(e: LibBigInteger, m: LibBigInteger, cb: NodeCallback<LibBigInteger>): void };
  N: LibBigInteger;
  getLargeAValue(cb: NodeCallback<LibBigInteger>): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    serverB: LibBigInteger,
    salt: LibBigInteger,
    cb: NodeCallback<Buffer>,
  ): void;
  padHex(value: LibBigInteger): string;
  hash(data: string | Buffer): string;
  hexHash(hex: string): string;
}

interface LibAuthenticationHelperCtor {
  new (poolName: string): LibAuthenticationHelper;
}

export interface LibDateHelper {
  getNowString(): string;
}

const lib = require('amazon-cognito-identity-js') as {
  AuthenticationHelper: LibAuthenticationHelperCtor;
  DateHelper: new () => LibDateHelper;
};

/** The SHA-256 / HMAC the library itself uses (resolved from the library's own location). */
const libRequire = createRequire(require.resolve('amazon-cognito-identity-js'));
export const Sha256 = (
  libRequire('@aws-crypto/sha256-js') as {
    Sha256: new (
      secret?: Uint8Array,
    ) => { update(data: Uint8Array | string): void; digestSync(): Uint8Array };
  }
).Sha256;

export const AuthenticationHelper = lib.AuthenticationHelper;
export const DateHelper = lib.DateHelper;
export const BigInteger = (
  require('amazon-cognito-identity-js/lib/BigInteger.js') as { default: LibBigIntegerCtor }
).default;

export function libBig(value: bigint): LibBigInteger {
  return value < 0n
    ? new BigInteger(`-${(-value).toString(16)}`, 16)
    : new BigInteger(value.toString(16), 16);
}

export function fromLibBig(value: LibBigInteger): bigint {
  const hex = value.toString(16);
  return hex.startsWith('-') ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex}`);
}

/** Promise form of a node-style callback API (the library's modPow/getPasswordAuthenticationKey). */
export function call<T>(fn: (cb: NodeCallback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}
