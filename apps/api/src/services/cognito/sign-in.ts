import { SrpError } from '@app/cognito-srp';
import { type AppClient, SrpChallengeError, secretHashParam, srpSignIn } from '@app/cognito-srp/sign-in';
import {
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { forbidden } from '../../errors.ts';
import { isPassedOn } from './challenge.ts';
import { badGateway } from './errors.ts';

export { secretHashField, secretHashParam } from '@app/cognito-srp/sign-in';
export type SignInClient = AppClient;

/**
 * USER_SRP_AUTH with the client half of SRP computed here (the shared two-step helper): the password
 * never leaves this process, not even to Cognito (ADR 0042).
 */
export async function signInWithSrp(
  cognito: CognitoIdentityProviderClient,
  client: SignInClient,
  email: string,
  password: string,
): Promise<SignInOutcome> {
  try {
    return authenticationResult(await srpSignIn(cognito, client, email, password));
  } catch (err) {
    // Only an IdP answering with another challenge or malformed SRP values gets here: its fault, not the user's.
    if (err instanceof SrpChallengeError) {
      throw badGateway(
        err.reason === 'unexpected-challenge'
          ? 'The identity provider answered the sign-in with an unexpected challenge.'
          : 'The identity provider sent an incomplete SRP challenge.',
      );
    }
    if (err instanceof SrpError) throw badGateway('The identity provider sent an invalid SRP challenge.');
    throw err;
  }
}

/** USER_PASSWORD_AUTH: the fallback for IdPs without SRP (AUTH_FLOW=password). */
export async function signInWithPassword(
  cognito: CognitoIdentityProviderClient,
  client: SignInClient,
  email: string,
  password: string,
): Promise<SignInOutcome> {
  const out = await cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: client.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password, ...secretHashParam(client, email) },
    }),
  );
  return authenticationResult(out);
}

export type ChallengeOutput = Pick<
  InitiateAuthCommandOutput,
  'ChallengeName' | 'ChallengeParameters' | 'Session' | 'AvailableChallenges'
>;

/**
 * USER_AUTH without a preference: Cognito answers SELECT_CHALLENGE with the first factors the account
 * can use (an unknown e-mail gets the same decoy list, so nothing is revealed).
 */
export async function startChoiceSignIn(
  cognito: CognitoIdentityProviderClient,
  client: SignInClient,
  email: string,
): Promise<SignInOutcome> {
  const out = await cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: client.clientId,
      AuthParameters: { USERNAME: email, ...secretHashParam(client, email) },
    }),
  );
  return authenticationResult(out);
}

/** Tokens, or a step the client answers at /auth/challenge (ADRs 0118, 0141). */
export type SignInOutcome = { result: AuthenticationResultType } | { challenge: ChallengeOutput };

/** For callers that cannot pass a step on (the sign-in after a password change): tokens, or an error. */
export function tokensOnly(outcome: SignInOutcome): AuthenticationResultType {
  if ('result' in outcome) return outcome.result;
  throw forbidden('This account needs a sign-in step; sign in again through /auth/login.');
}

export function authenticationResult(
  out: Pick<
    InitiateAuthCommandOutput,
    'AuthenticationResult' | 'ChallengeName' | 'ChallengeParameters' | 'Session' | 'AvailableChallenges'
  >,
): SignInOutcome {
  if (out.AuthenticationResult) return { result: out.AuthenticationResult };
  if (isPassedOn(out.ChallengeName)) return { challenge: out };
  throw forbidden(
    `This account needs a sign-in step (${out.ChallengeName ?? 'unknown'}) that this endpoint does not support.`,
  );
}
