import { computePasswordClaim, startClientSession } from '@app/cognito-srp';
import {
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';

/** SRP sign-in through the unchanged amazon-cognito-identity-js (its `endpoint` option points at the IdP). */
export function libraryAuthenticate(
  url: string,
  poolId: string,
  clientId: string,
  email: string,
  password: string,
): Promise<CognitoUserSession> {
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: url });
  const user = new CognitoUser({ Username: email, Pool: pool });
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('NEW_PASSWORD_REQUIRED')),
    }),
  );
}

/** SRP sign-in over the AWS SDK, computing the claim with @app/cognito-srp's client half. */
export async function sdkSrpSignIn(
  cognito: CognitoIdentityProviderClient,
  o: {
    poolId: string;
    clientId: string;
    username: string;
    password: string;
    secretHash?: (u: string) => string;
  },
) {
  const session = startClientSession();
  const start = await cognito.send(
    new InitiateAuthCommand({
      ClientId: o.clientId,
      AuthFlow: 'USER_SRP_AUTH',
      AuthParameters: {
        USERNAME: o.username,
        SRP_A: session.A,
        ...(o.secretHash ? { SECRET_HASH: o.secretHash(o.username) } : {}),
      },
    }),
  );
  const p = start.ChallengeParameters!;
  const userIdForSrp = p.USER_ID_FOR_SRP!;
  const claim = computePasswordClaim({
    poolId: o.poolId,
    userIdForSrp,
    password: o.password,
    saltHex: p.SALT!,
    srpBHex: p.SRP_B!,
    secretBlockB64: p.SECRET_BLOCK!,
    session,
  });
  return cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: o.clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: {
        USERNAME: userIdForSrp,
        PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK!,
        TIMESTAMP: claim.timestamp,
        PASSWORD_CLAIM_SIGNATURE: claim.signatureB64,
        ...(o.secretHash ? { SECRET_HASH: o.secretHash(userIdForSrp) } : {}),
      },
    }),
  );
}
