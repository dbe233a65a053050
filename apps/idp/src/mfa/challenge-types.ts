import type { CodeRecord } from '../store/state.ts';

export type MfaFactor = 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP' | 'SMS_MFA';

/**
 * A sign-in waiting for its second factor (or for the user to choose or set one up). Kept in the
 * in-memory ChallengeStore under the Session string, like the other challenges; a wrong code puts it
 * back so the client may try again within the session's 3 minutes (the lockout counts each guess).
 */
export interface MfaChallenge {
  kind: 'MFA';
  name: MfaFactor | 'SELECT_MFA_TYPE' | 'MFA_SETUP';
  poolId: string;
  clientId: string;
  username: string;
  admin: boolean;
  expiresAt: number;
  /** The ChallengeParameters sent with it (the managed login shows them again after a wrong code). */
  parameters?: Record<string, string>;
  /** The code mailed for EMAIL_OTP / SMS_MFA (hash only). */
  code?: CodeRecord;
  /** MFA_SETUP: the factors offered, and whether VerifySoftwareToken has succeeded with this session. */
  canSetUp?: MfaFactor[];
  totpVerified?: boolean;
  /** EMAIL_OTP asked during MFA_SETUP: a right code turns e-mail MFA on for the user. */
  setUpEmail?: boolean;
  /** A passwordless EMAIL_OTP first factor (USER_AUTH), not MFA. */
  firstFactor?: boolean;
  /** A decoy for an unknown user (PreventUserExistenceErrors): its code never matches (ADR 0079). */
  decoy?: boolean;
  /** OAuth sign-ins through the managed login carry their browser step here (see login/mfa.ts). */
  browser?: boolean;
  /** A custom-auth sign-in (CUSTOM_WITH_SRP) asked for MFA: its session so far, continued after the code. */
  custom?: {
    history: Array<{ challengeName: string; challengeResult: boolean; challengeMetadata?: string }>;
  };
}

/** A USER_AUTH sign-in waiting for the user to choose a first factor (SELECT_CHALLENGE). */
export interface ChoiceChallenge {
  kind: 'SELECT_CHALLENGE';
  poolId: string;
  clientId: string;
  /** Undefined for the decoy of an unknown user. */
  username?: string;
  /** What the client typed (for the decoy's masked address and SECRET_HASH). */
  typed: string;
  available: string[];
  admin: boolean;
  expiresAt: number;
}

/** A passkey ceremony waiting for the browser's answer: registration (by user) or sign-in (by Session). */
export interface WebAuthnChallenge {
  kind: 'WEB_AUTHN';
  purpose: 'registration' | 'sign-in';
  poolId: string;
  clientId: string;
  username: string;
  admin: boolean;
  /** The base64url challenge the authenticator signs. */
  challenge: string;
  rpId: string;
  expiresAt: number;
}
