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
import { formatTimestamp } from './timestamp.ts';

/** Client state between InitiateAuth (send A as SRP_A) and RespondToAuthChallenge. `a` is secret. */
export interface ClientSession {
  /** secret exponent, hex */
  a: string;
  /** public value g^a mod N, hex (send as SRP_A) */
  A: string;
}

export interface PasswordClaimInput {
  poolId: string;
  /** ChallengeParameters.USER_ID_FOR_SRP (not necessarily the username typed in) */
  userIdForSrp: string;
  password: string;
  /** ChallengeParameters.SALT */
  saltHex: string;
  /** ChallengeParameters.SRP_B */
  srpBHex: string;
  /** ChallengeParameters.SECRET_BLOCK */
  secretBlockB64: string;
  session: ClientSession;
  /** clock for TIMESTAMP; defaults to now */
  now?: Date;
}

export interface PasswordClaim {
  /** PASSWORD_CLAIM_SIGNATURE */
  signatureB64: string;
  /** TIMESTAMP */
  timestamp: string;
}

/** Starts a sign-in: a random 256-bit a (ADR 0200) and A = g^a mod N (never 0 mod N). */
export function startClientSession(): ClientSession {
  for (;;) {
    const a = randomExponent();
    const A = modPowN(g, a);
    if (A !== 0n) return { a: a.toString(16), A: A.toString(16) };
  }
}

/**
 * The PASSWORD_VERIFIER answer, computed exactly as CognitoUser.authenticateUserDefaultAuth does:
 * S = (B - k·g^x)^(a + u·x) mod N, key = HKDF(S, u), signature = HMAC(key, pool + user + block + time).
 */
export function computePasswordClaim(input: PasswordClaimInput): PasswordClaim {
  return computeClaimIn(poolNameFromId(input.poolId), input);
}

/** The claim in a "realm": the pool name for passwords, the device group key for a device's secret. */
export function computeClaimIn(realm: string, input: Omit<PasswordClaimInput, 'poolId'>): PasswordClaim {
  const userIdForSrp = requireText('userIdForSrp', input.userIdForSrp);
  const password = requireText('password', input.password);
  const salt = parseSalt(input.saltHex);
  const B = parsePublicValue('B', input.srpBHex);
  const secretBlock = decodeBase64('secretBlockB64', input.secretBlockB64);
  const a = parseHex('session.a', input.session?.a);
  const A = parsePublicValue('A', input.session?.A);

  const u = computeU(A, B);
  const x = computeX(realm, userIdForSrp, password, salt);
  const base = (((B - k * modPowN(g, x)) % N) + N) % N;
  const S = modPowN(base, a + u * x);
  const key = deriveKey(S, u);

  const timestamp = formatTimestamp(input.now ?? new Date());
  const signature = claimSignature(key, realm, userIdForSrp, secretBlock, timestamp);
  return { signatureB64: signature.toString('base64'), timestamp };
}
