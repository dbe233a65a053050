import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { poolPassword, type TestIdp } from './helpers.ts';

let counter = 0;
/** A number unique within this test process, for usernames. */
export const seq = () => counter++;
export const uniquePhone = () =>
  `+1555${String(process.pid % 1000).padStart(3, '0')}${String(counter++).padStart(4, '0')}`;

export const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: Error) => e,
  );

const toAttributes = (attrs: Record<string, string>) =>
  Object.entries(attrs).map(([Name, Value]) => ({ Name, Value }));

/** A pool with the given sign-in settings and a public client allowing password and SRP sign-in. */
export async function makeSignInPool(t: TestIdp, settings: Partial<CreateUserPoolCommandInput>) {
  const { UserPool } = await t.cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'sign-in',
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireUppercase: false,
          RequireLowercase: false,
          RequireNumbers: false,
          RequireSymbols: false,
        },
      },
      ...settings,
    }),
  );
  const { UserPoolClient } = await t.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: UserPool!.Id!,
      ClientName: 'app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  const poolId = UserPool!.Id!;
  const clientId = UserPoolClient!.ClientId!;
  const signIn = (name: string, password = poolPassword) =>
    t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: name, PASSWORD: password },
      }),
    );
  const signUp = (Username: string, attrs: Record<string, string> = {}) =>
    t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username,
        Password: poolPassword,
        UserAttributes: toAttributes(attrs),
      }),
    );
  /** An administrator's confirmed user with the given attributes (verified flags set by the admin). */
  const adminUser = async (Username: string, attrs: Record<string, string>, force?: boolean) => {
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username,
        MessageAction: 'SUPPRESS',
        ForceAliasCreation: force,
        UserAttributes: toAttributes(attrs),
      }),
    );
    await t.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username,
        Password: poolPassword,
        Permanent: true,
      }),
    );
  };
  return { poolId, clientId, signIn, signUp, adminUser };
}
