import { computePasswordClaim, SrpError, secretHash, startClientSession } from '@app/cognito-srp';
import {
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { forbidden } from '../../errors.ts';
import { badGateway } from './errors.ts';

export interface SignInClient {
  userPoolId: string;
  clientId: string;
  clientSecret?: string | undefined;
}

/** SECRET_HASH only when the app client has a secret; Cognito refuses it otherwise. */
export function secretHashParam(client: SignInClient, username: string): { SECRET_HASH?: string } {
  return client.clientSecret
    ? { SECRET_HASH: secretHash(username, client.clientId, client.clientSecret) }
    : {};
}

/** The same hash as the top-level `SecretHash` field of SignUp, ConfirmSignUp, ForgotPassword... */
export function secretHashField(client: SignInClient, username: string): { SecretHash?: string } {
  return client.clientSecret
    ? { SecretHash: secretHash(username, client.clientId, client.clientSecret) }
    : {};
}

/**
 * USER_SRP_AUTH with the client half of SRP computed here: the password never leaves this process,
 * not even to Cognito (ADR 0042). Note the second step's USERNAME and SECRET_HASH use
 * USER_ID_FOR_SRP (the pool's internal username), not the e-mail the user typed.
 */
export async function signInWithSrp(
  cognito: CognitoIdentityProviderClient,
  client: SignInClient,
  email: string,
  password: string,
): Promise<AuthenticationResultType> {
  const session = startClientSession();
  const start = await cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: client.clientId,
      AuthParameters: { USERNAME: email, SRP_A: session.A, ...secretHashParam(client, email) },
    }),
  );
  if (start.ChallengeName !== 'PASSWORD_VERIFIER' || !start.ChallengeParameters) {
    throw badGateway('The identity provider answered the sign-in with an unexpected challenge.');
  }
  const p = start.ChallengeParameters;
  const userIdForSrp = p.USER_ID_FOR_SRP ?? p.USERNAME;
  if (!userIdForSrp || !p.SALT || !p.SRP_B || !p.SECRET_BLOCK) {
    throw badGateway('The identity provider sent an incomplete SRP challenge.');
  }
  let claim: ReturnType<typeof computePasswordClaim>;
  try {
    claim = computePasswordClaim({
      poolId: client.userPoolId,
      userIdForSrp,
      password,
      saltHex: p.SALT,
      srpBHex: p.SRP_B,
      secretBlockB64: p.SECRET_BLOCK,
      session,
    });
  } catch (err) {
    // Only an IdP sending malformed SRP values gets here (B ≡ 0 mod N, bad hex): its fault, not the user's.
    if (err instanceof SrpError) throw badGateway('The identity provider sent an invalid SRP challenge.');
    throw err;
  }
  const answer = await cognito.send(
    new RespondToAuthChallengeCommand({
      ChallengeName: 'PASSWORD_VERIFIER',
      ClientId: client.clientId,
      ...(start.Session ? { Session: start.Session } : {}),
      ChallengeResponses: {
        USERNAME: userIdForSrp,
        PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK,
        PASSWORD_CLAIM_SIGNATURE: claim.signatureB64,
        TIMESTAMP: claim.timestamp,
        ...secretHashParam(client, userIdForSrp),
      },
    }),
  );
  return authenticationResult(answer);
}

/** USER_PASSWORD_AUTH: the fallback for IdPs without SRP (AUTH_FLOW=password). */
export async function signInWithPassword(
  cognito: CognitoIdentityProviderClient,
  client: SignInClient,
  email: string,
  password: string,
): Promise<AuthenticationResultType> {
  const out = await cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: client.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password, ...secretHashParam(client, email) },
    }),
  );
  return authenticationResult(out);
}

function authenticationResult(
  out: Pick<InitiateAuthCommandOutput, 'AuthenticationResult' | 'ChallengeName'>,
) {
  if (out.AuthenticationResult) return out.AuthenticationResult;
  if (out.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
    throw forbidden(
      'This account must choose a new password before it can sign in (it was created by an administrator); ' +
        'complete the first sign-in in the web app.',
    );
  }
  throw forbidden(
    `This account needs a sign-in step (${out.ChallengeName ?? 'unknown'}) that this endpoint does not support.`,
  );
}
