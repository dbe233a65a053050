/** Shared steps for the durability cases (durability-operations.test.ts): each runs on a TestIdp `x`. */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import { poolPassword as password, type TestIdp, uniqueEmail } from './helpers.ts';

/** Runs against the first IdP, ends with the operation under test, returns the check for the copy. */
export type Case = (t: TestIdp) => Promise<(after: TestIdp) => Promise<void>>;

export { password };

export const unique = (tag: string) => `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

/** A confirmed user with a verified e-mail and `password`. */
export async function user(x: TestIdp, verified = true) {
  const email = uniqueEmail('durable');
  await x.cognito.send(
    new sdk.AdminCreateUserCommand({
      UserPoolId: x.idp.pool.poolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: String(verified) },
      ],
    }),
  );
  await x.cognito.send(
    new sdk.AdminSetUserPasswordCommand({
      UserPoolId: x.idp.pool.poolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  return email;
}

export async function signIn(x: TestIdp, email: string, pass = password) {
  const out = await x.cognito.send(
    new sdk.InitiateAuthCommand({
      ClientId: x.backend.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: pass, SECRET_HASH: x.secretHash(email) },
    }),
  );
  return out.AuthenticationResult!;
}

/** Refreshes with the backend client (whose secret hash is over the sub) or a public client. */
export function refresh(x: TestIdp, token: string, sub?: string, clientId = x.backend.clientId) {
  return x.cognito.send(
    new sdk.InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: token, ...(sub ? { SECRET_HASH: x.secretHash(sub) } : {}) },
    }),
  );
}

export const subOf = async (x: TestIdp, email: string) =>
  (await adminGet(x, email)).UserAttributes!.find((a) => a.Name === 'sub')!.Value!;
export const adminGet = (x: TestIdp, email: string) =>
  x.cognito.send(new sdk.AdminGetUserCommand({ UserPoolId: x.idp.pool.poolId, Username: email }));
export const attr = async (x: TestIdp, email: string, name: string) =>
  (await adminGet(x, email)).UserAttributes!.find((a) => a.Name === name)?.Value;
export const errorName = (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e: Error) => e.name,
  );
export const groupsOf = async (x: TestIdp, email: string) =>
  (
    await x.cognito.send(
      new sdk.AdminListGroupsForUserCommand({ UserPoolId: x.idp.pool.poolId, Username: email }),
    )
  ).Groups!.map((g) => g.GroupName);
export const newClient = async (
  x: TestIdp,
  flows: sdk.ExplicitAuthFlowsType[] = ['ALLOW_REFRESH_TOKEN_AUTH'],
) =>
  (
    await x.cognito.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: x.idp.pool.poolId,
        ClientName: unique('c'),
        ExplicitAuthFlows: flows,
      }),
    )
  ).UserPoolClient!.ClientId!;
export const newGroup = async (x: TestIdp) => {
  const GroupName = unique('g');
  await x.cognito.send(new sdk.CreateGroupCommand({ UserPoolId: x.idp.pool.poolId, GroupName }));
  return GroupName;
};
export const signUp = async (x: TestIdp) => {
  const email = uniqueEmail('durable-signup');
  await x.cognito.send(
    new sdk.SignUpCommand({ ClientId: x.web.clientId, Username: email, Password: password }),
  );
  return email;
};

/** A new pool with a prefix domain (one domain per pool). */
export async function poolWithDomain(x: TestIdp): Promise<[string, string]> {
  const id = (await x.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: unique('pool') }))).UserPool!
    .Id!;
  const Domain = unique('durable').toLowerCase();
  await x.cognito.send(new sdk.CreateUserPoolDomainCommand({ UserPoolId: id, Domain }));
  return [id, Domain];
}
export const describeDomain = async (x: TestIdp, Domain: string) =>
  (await x.cognito.send(new sdk.DescribeUserPoolDomainCommand({ Domain }))).DomainDescription!;
export const resourceServer = async (x: TestIdp) => {
  const Identifier = `https://${unique('api')}.example.com`;
  await x.cognito.send(
    new sdk.CreateResourceServerCommand({ UserPoolId: x.idp.pool.poolId, Identifier, Name: 'api' }),
  );
  return Identifier;
};

/**
 * Puts what a case just created on disk through an operation that commits (AdminCreateUser has its own
 * case), so a delete case cannot pass only because the create was never written.
 */
export const settle = (x: TestIdp) =>
  x.cognito.send(
    new sdk.AdminCreateUserCommand({
      UserPoolId: x.idp.pool.poolId,
      Username: uniqueEmail('settle'),
      MessageAction: 'SUPPRESS',
    }),
  );

/** Signs in, revokes through `revoke`, and checks the refresh token is refused after the restart. */
export const revokes =
  (revoke: (x: TestIdp, email: string, tokens: sdk.AuthenticationResultType) => Promise<unknown>): Case =>
  async (x) => {
    const email = await user(x);
    const tokens = await signIn(x, email);
    const sub = await subOf(x, email);
    await revoke(x, email, tokens);
    return async (y) =>
      expect(await errorName(refresh(y, tokens.RefreshToken!, sub))).toBe('NotAuthorizedException');
  };
