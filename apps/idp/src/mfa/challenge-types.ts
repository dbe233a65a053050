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
  /** OAuth sign-ins through the managed login carry their browser step here (see login/mfa.ts). */
  browser?: boolean;
}
