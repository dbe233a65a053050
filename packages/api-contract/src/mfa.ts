import { type Static, Type } from '@sinclair/typebox';
import { Password as password, TokenResponse } from './auth.ts';

/**
 * A sign-in step the IdP asks for (issue 11): MFA after the password, a new password for an account an
 * administrator created (NEW_PASSWORD_REQUIRED), or the choice of a first factor (SELECT_CHALLENGE,
 * login without a password). `/auth/login` and `/auth/challenge` answer this instead of tokens; the
 * client answers it at `/auth/challenge` with the `fields` named (ADRs 0118, 0141).
 */
export const ChallengeName = Type.Union([
  Type.Literal('SOFTWARE_TOKEN_MFA'),
  Type.Literal('EMAIL_OTP'),
  Type.Literal('SMS_MFA'),
  Type.Literal('SELECT_MFA_TYPE'),
  Type.Literal('MFA_SETUP'),
  Type.Literal('NEW_PASSWORD_REQUIRED'),
  Type.Literal('SELECT_CHALLENGE'),
]);
export type ChallengeName = Static<typeof ChallengeName>;

export const MfaType = Type.Union([
  Type.Literal('SOFTWARE_TOKEN_MFA'),
  Type.Literal('EMAIL_OTP'),
  Type.Literal('SMS_MFA'),
]);
export type MfaType = Static<typeof MfaType>;

/** SELECT_CHALLENGE's choices through this API: the password (SRP by the API) or an e-mailed code. */
export const FirstFactor = Type.Union([Type.Literal('PASSWORD'), Type.Literal('EMAIL_OTP')]);
export type FirstFactor = Static<typeof FirstFactor>;

const session = Type.String({ minLength: 20, maxLength: 2048 });

export const ChallengeResponse = Type.Object({
  challenge_name: ChallengeName,
  /** Opaque; send it back unchanged with the answer. Expires after a few minutes. */
  session,
  /**
   * What the answer must carry: `["code"]`, `["mfa_type"]`, `["new_password"]` (NEW_PASSWORD_REQUIRED)
   * or `["answer"]` (SELECT_CHALLENGE; with `"answer": "PASSWORD"` also `password`).
   */
  fields: Type.Array(
    Type.Union([
      Type.Literal('code'),
      Type.Literal('mfa_type'),
      Type.Literal('new_password'),
      Type.Literal('answer'),
    ]),
  ),
  /** SELECT_CHALLENGE: the first factors this account can use. */
  available_challenges: Type.Optional(Type.Array(FirstFactor)),
  /** SELECT_MFA_TYPE: the factors to choose from. MFA_SETUP: the factors that can be set up. */
  mfa_types: Type.Optional(Type.Array(MfaType)),
  /** EMAIL_OTP / SMS_MFA: where the code went, masked (e.g. `a***@e***`). */
  code_sent_to: Type.Optional(Type.String()),
  /** MFA_SETUP: the new authenticator's key (base32) and its otpauth:// URI for a QR code. */
  secret_code: Type.Optional(Type.String()),
  otpauth_uri: Type.Optional(Type.String()),
});
export type ChallengeResponse = Static<typeof ChallengeResponse>;

/** Tokens, or the next step. Tell them apart by `challenge_name`. */
export const SignInResponse = Type.Union([TokenResponse, ChallengeResponse]);
export type SignInResponse = Static<typeof SignInResponse>;

export const ChallengeBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    challenge_name: ChallengeName,
    session,
    code: Type.Optional(Type.String({ pattern: '^[0-9]{6,8}$' })),
    mfa_type: Type.Optional(MfaType),
    /** NEW_PASSWORD_REQUIRED: the password the user chooses (the pool's policy applies). */
    new_password: Type.Optional(password),
    /** SELECT_CHALLENGE: one of `available_challenges`. */
    answer: Type.Optional(FirstFactor),
    /** SELECT_CHALLENGE with `"answer": "PASSWORD"`: the account's password. */
    password: Type.Optional(password),
  },
  { additionalProperties: false },
);
export type ChallengeBody = Static<typeof ChallengeBody>;

/** POST /users/me/mfa/totp: the new key; show it as a QR code (otpauth_uri) or text (secret_code). */
export const TotpSetup = Type.Object({ secret_code: Type.String(), otpauth_uri: Type.String() });
export type TotpSetup = Static<typeof TotpSetup>;

export const TotpVerifyBody = Type.Object(
  { code: Type.String({ pattern: '^[0-9]{6}$' }) },
  { additionalProperties: false },
);
export type TotpVerifyBody = Static<typeof TotpVerifyBody>;

export const MfaStatus = Type.Object({
  /** Factors turned on for the user, e.g. `["SOFTWARE_TOKEN_MFA"]`. */
  enabled: Type.Array(MfaType),
  preferred: Type.Union([MfaType, Type.Null()]),
});
export type MfaStatus = Static<typeof MfaStatus>;
