import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { computePasswordClaim, startClientSession } from './client.ts';
import { secretHash } from './secret-hash.ts';

/** The app client a caller signs in with; `clientSecret` only for confidential clients. */
export interface AppClient {
  userPoolId: string;
  clientId: string;
  clientSecret?: string | undefined;
}

/** SECRET_HASH in AuthParameters / ChallengeResponses, only when the client has a secret (Cognito refuses it otherwise). */
export function secretHashParam(client: AppClient, username: string): { SECRET_HASH?: string } {
  return client.clientSecret
    ? { SECRET_HASH: secretHash(username, client.clientId, client.clientSecret) }
    : {};
}

/** The same hash as the top-level `SecretHash` field of SignUp, ConfirmSignUp, ForgotPassword... */
export function secretHashField(client: AppClient, username: string): { SecretHash?: string } {
  return client.clientSecret
    ? { SecretHash: secretHash(username, client.clientId, client.clientSecret) }
    : {};
}

/** InitiateAuth did not answer with a usable PASSWORD_VERIFIER challenge: the IdP's fault, not the user's. */
export class SrpChallengeError extends Error {
  override name = 'SrpChallengeError';
  constructor(
    readonly reason: 'unexpected-challenge' | 'incomplete-challenge',
    readonly challengeName?: string,
  ) {
    super(
      reason === 'unexpected-challenge'
        ? `expected PASSWORD_VERIFIER, got ${challengeName ?? 'no challenge'}`
        : 'PASSWORD_VERIFIER without USER_ID_FOR_SRP, SALT, SRP_B or SECRET_BLOCK',
    );
  }
}

/**
 * Cognito's two-step SRP sign-in: InitiateAuth (USER_SRP_AUTH, SRP_A) then RespondToAuthChallenge
 * (PASSWORD_VERIFIER) with the claim computed here, so the password never leaves this process.
 * The second step's USERNAME and SECRET_HASH use USER_ID_FOR_SRP (the pool's internal username),
 * not what the user typed. `admin` uses the Admin* pair (IAM-authorised, with the pool id).
 * Returns the second answer as is (tokens, or a further challenge such as NEW_PASSWORD_REQUIRED);
 * Cognito's exceptions pass through; throws SrpChallengeError, or SrpError for invalid SRP values.
 */
export async function srpSignIn(
  cognito: CognitoIdentityProviderClient,
  client: AppClient,
  username: string,
  password: string,
  opts: { admin?: boolean } = {},
): Promise<RespondToAuthChallengeCommandOutput> {
  const session = startClientSession();
  const first = {
    AuthFlow: 'USER_SRP_AUTH' as const,
    ClientId: client.clientId,
    AuthParameters: { USERNAME: username, SRP_A: session.A, ...secretHashParam(client, username) },
  };
  const start = await (opts.admin
    ? cognito.send(new AdminInitiateAuthCommand({ ...first, UserPoolId: client.userPoolId }))
    : cognito.send(new InitiateAuthCommand(first)));
  if (start.ChallengeName !== 'PASSWORD_VERIFIER') {
    throw new SrpChallengeError('unexpected-challenge', start.ChallengeName);
  }
  const p = start.ChallengeParameters ?? {};
  const userIdForSrp = p.USER_ID_FOR_SRP ?? p.USERNAME;
  if (!userIdForSrp || !p.SALT || !p.SRP_B || !p.SECRET_BLOCK) {
    throw new SrpChallengeError('incomplete-challenge', start.ChallengeName);
  }
  const claim = computePasswordClaim({
    poolId: client.userPoolId,
    userIdForSrp,
    password,
    saltHex: p.SALT,
    srpBHex: p.SRP_B,
    secretBlockB64: p.SECRET_BLOCK,
    session,
  });
  const second = {
    ChallengeName: 'PASSWORD_VERIFIER' as const,
    ClientId: client.clientId,
    ...(start.Session ? { Session: start.Session } : {}),
    ChallengeResponses: {
      USERNAME: userIdForSrp,
      PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK,
      PASSWORD_CLAIM_SIGNATURE: claim.signatureB64,
      TIMESTAMP: claim.timestamp,
      ...secretHashParam(client, userIdForSrp),
    },
  };
  return opts.admin
    ? cognito.send(new AdminRespondToAuthChallengeCommand({ ...second, UserPoolId: client.userPoolId }))
    : cognito.send(new RespondToAuthChallengeCommand(second));
}
