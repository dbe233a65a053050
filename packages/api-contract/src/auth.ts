import { type Static, Type } from '@sinclair/typebox';

/**
 * Backend auth endpoints for non-browser clients (mobile, CLI), under /api/v1/auth.
 * Answers never reveal whether an account exists (docs/decisions: enumeration).
 */
const email = Type.String({ format: 'email', maxLength: 254 });
/** A password as the API accepts it in any body (the pool's policy is checked where one is chosen). */
export const Password = Type.String({ minLength: 1, maxLength: 256 });
const password = Password;
const code = Type.String({ pattern: '^[0-9]{6}$' });

/** A name as a person types it: something other than spaces, at most 100 characters. */
const personName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });

/**
 * register: seed 003's body, as written. `first_name`/`last_name` become the pool's `given_name`,
 * `family_name` (and `name`); `accept_terms` must be `true` — the acceptance is stored with the time
 * on the user's record in Postgres (ADR 0107).
 */
export const RegisterBody = Type.Object(
  {
    email,
    password,
    first_name: personName,
    last_name: personName,
    accept_terms: Type.Boolean({ description: 'Must be true: the user accepts the terms of service.' }),
  },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

/**
 * verify-otp: with `purpose: "email_verification"` (or none) it confirms the sign-up code. `password`
 * (the one chosen at sign-up) proves the caller is the account's owner as well as the mailbox's; send
 * it (the SPA does). Without it the code alone decides (seed 003's body; see ADR 0072 for what that
 * leaves open). With `purpose: "password_reset"` it is seed 003's reset: the code of request-otp's
 * reset mail plus `new_password`, exactly like /auth/reset-password (ADR 0107).
 */
export const VerifyOtpBody = Type.Object(
  {
    email,
    code,
    password: Type.Optional(password),
    purpose: Type.Optional(Type.Union([Type.Literal('email_verification'), Type.Literal('password_reset')])),
    new_password: Type.Optional(password),
  },
  { additionalProperties: false },
);
export type VerifyOtpBody = Static<typeof VerifyOtpBody>;

/** request-otp: resend the sign-up code, or start a password reset. */
export const RequestOtpBody = Type.Object(
  { email, purpose: Type.Union([Type.Literal('email_verification'), Type.Literal('password_reset')]) },
  { additionalProperties: false },
);
export type RequestOtpBody = Static<typeof RequestOtpBody>;

export const ResetPasswordBody = Type.Object(
  { email, code, new_password: password },
  { additionalProperties: false },
);
export type ResetPasswordBody = Static<typeof ResetPasswordBody>;

/**
 * login: with `password`, a password sign-in (SRP done by the API). Without it, choice-based sign-in
 * (Cognito's USER_AUTH): the answer is a SELECT_CHALLENGE step listing `available_challenges`
 * (e.g. an e-mailed code instead of the password), answered at /auth/challenge (ADR 0141).
 */
export const LoginBody = Type.Object(
  { email, password: Type.Optional(password) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const RefreshBody = Type.Object(
  {
    refresh_token: Type.String({ minLength: 1, maxLength: 8192 }),
    /** Needed for clients with a secret: SECRET_HASH is computed over the username. */
    email: Type.Optional(email),
  },
  { additionalProperties: false },
);
export type RefreshBody = Static<typeof RefreshBody>;

export const ChangePasswordBody = Type.Object(
  { current_password: password, new_password: password },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  id_token: Type.String(),
  refresh_token: Type.Optional(Type.String()),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
});
export type TokenResponse = Static<typeof TokenResponse>;

export const MessageResponse = Type.Object({ message: Type.String() });
export type MessageResponse = Static<typeof MessageResponse>;

/**
 * change-password: every session of the user has ended, the caller's included; `tokens` are a fresh
 * sign-in with the new password (absent only when that sign-in could not be made: sign in again).
 */
export const ChangePasswordResponse = Type.Object({
  message: Type.String(),
  tokens: Type.Optional(TokenResponse),
});
export type ChangePasswordResponse = Static<typeof ChangePasswordResponse>;

/** sign-out (this session): optionally the session's refresh token, which the API then revokes at the IdP too. */
export const SignOutBody = Type.Object(
  { refresh_token: Type.Optional(Type.String({ minLength: 1, maxLength: 8192 })) },
  { additionalProperties: false },
);
export type SignOutBody = Static<typeof SignOutBody>;
