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
