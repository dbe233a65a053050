import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { isCognitoError } from './errors.ts';
import { type SignInClient, secretHashField, signInWithPassword, signInWithSrp } from './sign-in.ts';

export interface SignUpClient extends SignInClient {
  authFlow: 'srp' | 'password';
}

interface Log {
  warn(obj: object, msg: string): void;
}

/** `sub`: the new account (null when a confirmed holder kept the address); `replaced`: deleted holders. */
export interface SignUpOutcome {
  sub: string | null;
  replaced: string[];
}

/** Replacing an unconfirmed account is tried this often before answering "sent" anyway (a racing re-creation). */
const MAX_REPLACEMENTS = 2;

/** The pool's view of the account holding an address: its internal username and status. */
async function accountFor(cognito: CognitoIdentityProviderClient, poolId: string, email: string) {
  try {
    const out = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    return { username: out.Username ?? email, status: out.UserStatus ?? 'UNKNOWN' };
  } catch (err) {
    if (isCognitoError(err, 'UserNotFoundException')) return null;
    throw err;
  }
}

/**
 * Sign-up that no unconfirmed account can block (ADR 0072). Cognito answers SignUp over an existing
 * UNCONFIRMED user with UsernameExistsException, so whoever registered the address first — perhaps an
 * attacker with their own password — would keep it. Here an UNCONFIRMED holder is deleted (its password
 * and codes die with it) and the sign-up is made again; a CONFIRMED holder is left alone and nothing is
 * sent. Both end like a fresh sign-up, so the caller's answer does not say which happened.
 * Cognito's own errors (bad password, bad attributes, upstream failures) are thrown to the caller.
 */
export async function signUpReplacingUnconfirmed(
  cognito: CognitoIdentityProviderClient,
  client: SignUpClient,
  input: { email: string; password: string; firstName: string; lastName: string },
): Promise<SignUpOutcome> {
  const signUp = new SignUpCommand({
    ClientId: client.clientId,
    Username: input.email,
    Password: input.password,
    UserAttributes: [
      { Name: 'email', Value: input.email },
      // Seed 003's first/last name as OIDC's standard attributes, and `name` for what shows it whole.
      { Name: 'given_name', Value: input.firstName },
      { Name: 'family_name', Value: input.lastName },
      { Name: 'name', Value: `${input.firstName} ${input.lastName}` },
    ],
    ...secretHashField(client, input.email),
  });
  const replaced: string[] = [];
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await cognito.send(signUp);
      return { sub: out.UserSub ?? null, replaced };
    } catch (err) {
      if (!isCognitoError(err, 'UsernameExistsException', 'AliasExistsException')) throw err;
      if (attempt >= MAX_REPLACEMENTS) return { sub: null, replaced };
    }
    const holder = await accountFor(cognito, client.userPoolId, input.email);
    // Gone meanwhile: try again. Confirmed (or admin-created, or reset-required): it is someone's account.
    if (holder && holder.status !== 'UNCONFIRMED') return { sub: null, replaced };
    if (holder) {
      replaced.push(holder.username);
      try {
        await cognito.send(
          new AdminDeleteUserCommand({ UserPoolId: client.userPoolId, Username: holder.username }),
        );
      } catch (err) {
        if (!isCognitoError(err, 'UserNotFoundException')) throw err;
      }
    }
  }
}

/**
 * Does `password` belong to the UNCONFIRMED account holding `email`? Confirmation must prove the
 * password holder is the mailbox holder, or a code mailed to the victim would confirm an attacker's
 * account. Cognito answers a sign-in of an unconfirmed user with UserNotConfirmedException only after
 * the password checked out (a wrong one gets NotAuthorizedException), so a sign-in attempt is the
 * check. Confirmed, unknown and admin-created accounts answer false without a password attempt.
 */
export async function unconfirmedPasswordHolds(
  cognito: CognitoIdentityProviderClient,
  client: SignUpClient,
  email: string,
  password: string,
  log: Log,
): Promise<boolean> {
  const holder = await accountFor(cognito, client.userPoolId, email);
  if (holder?.status !== 'UNCONFIRMED') return false;
  let signedIn: Awaited<ReturnType<typeof signInWithSrp>>;
  try {
    signedIn =
      client.authFlow === 'srp'
        ? await signInWithSrp(cognito, client, email, password)
        : await signInWithPassword(cognito, client, email, password);
  } catch (err) {
    if (isCognitoError(err, 'UserNotConfirmedException')) return true;
    if (
      isCognitoError(err, 'NotAuthorizedException', 'UserNotFoundException', 'PasswordResetRequiredException')
    )
      return false;
    throw err;
  }
  // Confirmed by someone else between the two calls: no confirmation is needed, and the session this
  // check just opened must not outlive it.
  const refreshToken = 'result' in signedIn ? signedIn.result.RefreshToken : undefined;
  if (refreshToken) {
    await cognito
      .send(
        new RevokeTokenCommand({
          Token: refreshToken,
          ClientId: client.clientId,
          ...(client.clientSecret ? { ClientSecret: client.clientSecret } : {}),
        }),
      )
      .catch((err: unknown) =>
        log.warn({ err: { name: (err as Error).name } }, 'could not revoke the check session'),
      );
  }
  return false;
}
