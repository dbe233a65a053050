import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SrpInputError } from './errors.ts';
import { g, k, N } from './group.ts';
import { parseHex } from './hex.ts';
import { modPowN } from './modpow.ts';
import {
  claimSignature,
  computeU,
  computeX,
  decodeBase64,
  deriveKey,
  parsePublicValue,
  parseSalt,
  poolNameFromId,
  randomExponent,
  requireText,
} from './protocol.ts';

export interface VerifierInput {
  poolId: string;
  userIdForSrp: string;
  password: string;
}

/** What a server stores per user instead of the password. */
export interface Verifier {
  /** random 16-byte salt, hex (sent as ChallengeParameters.SALT) */
  saltHex: string;
  /** v = g^x mod N, hex */
  verifierHex: string;
}

/** Server state between InitiateAuth (send B as SRP_B) and RespondToAuthChallenge. `b` is secret. */
export interface ServerSession {
  /** secret exponent, hex: keep it server-side (it is plain JSON, so it can sit in a session store) */
  b: string;
  /** public value k·v + g^b mod N, hex (send as SRP_B) */
  B: string;
}

export interface VerifyClaimInput {
  poolId: string;
  userIdForSrp: string;
  verifierHex: string;
  /** not needed by the server's arithmetic; validated when given so a corrupt record shows up */
  saltHex?: string;
  /** the client's SRP_A from InitiateAuth */
  AHex: string;
  serverSession: ServerSession;
  /** the SECRET_BLOCK the server issued (and the client echoes as PASSWORD_CLAIM_SECRET_BLOCK) */
  secretBlockB64: string;
  /** TIMESTAMP as the client sent it (signed verbatim) */
  timestamp: string;
  /** PASSWORD_CLAIM_SIGNATURE */
  signatureB64: string;
}

/** Registration / password change: a fresh random 16-byte salt and v = g^x mod N, as Cognito stores. */
export function createVerifier(input: VerifierInput): Verifier {
  const poolName = poolNameFromId(input.poolId);
  const userIdForSrp = requireText('userIdForSrp', input.userIdForSrp);
  const password = requireText('password', input.password);
  const saltHex = randomBytes(16).toString('hex');
  const x = computeX(poolName, userIdForSrp, password, parseSalt(saltHex));
  return { saltHex, verifierHex: modPowN(g, x).toString(16) };
}

function parseVerifier(verifierHex: unknown): bigint {
  const v = parseHex('verifier', verifierHex);
  if (v % N === 0n) throw new SrpInputError('verifier must not be 0 mod N');
  return v;
}

/** Answers InitiateAuth: B = (k·v + g^b) mod N with a random 256-bit b (ADR 0200), redrawn if B ≡ 0. */
export function startServerSession(verifierHex: string): ServerSession {
  const v = parseVerifier(verifierHex);
  for (;;) {
    const b = randomExponent();
    const B = (k * v + modPowN(g, b)) % N;
    if (B !== 0n) return { b: b.toString(16), B: B.toString(16) };
  }
}

/** Refuses a client's SRP_A that is malformed or ≡ 0 mod N; call it at InitiateAuth. */
export function assertValidClientPublic(AHex: string): void {
  parsePublicValue('A', AHex);
}

/**
 * Checks PASSWORD_CLAIM_SIGNATURE: S = (A·v^u)^b mod N, key = HKDF(S, u), then the same HMAC the
 * client computed, compared in constant time. Returns false for a wrong password; throws
 * SrpInputError / SrpProtocolError for malformed or forbidden values.
 */
export function verifyPasswordClaim(input: VerifyClaimInput): boolean {
  return verifyClaimIn(poolNameFromId(input.poolId), input);
}

/**
 * The claim check in a "realm": the pool name for passwords, the device group key for a device's
 * secret (DEVICE_PASSWORD_VERIFIER), which Cognito mixes into x and the signature the same way.
 */
export function verifyClaimIn(realm: string, input: Omit<VerifyClaimInput, 'poolId'>): boolean {
  const userIdForSrp = requireText('userIdForSrp', input.userIdForSrp);
  const v = parseVerifier(input.verifierHex);
  if (input.saltHex !== undefined) parseSalt(input.saltHex);
  const A = parsePublicValue('A', input.AHex);
  const b = parseHex('serverSession.b', input.serverSession?.b);
  const B = parsePublicValue('B', input.serverSession?.B);
  const secretBlock = decodeBase64('secretBlockB64', input.secretBlockB64);
  const timestamp = requireText('timestamp', input.timestamp, 64);
  const signature = decodeBase64('signatureB64', input.signatureB64);

  const u = computeU(A, B);
  const S = modPowN((A * modPowN(v, u)) % N, b);
  const expected = claimSignature(deriveKey(S, u), realm, userIdForSrp, secretBlock, timestamp);
  return signature.length === expected.length && timingSafeEqual(signature, expected);
}
