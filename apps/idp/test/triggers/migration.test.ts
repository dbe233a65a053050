import { srpSignIn } from '@app/cognito-srp/sign-in';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimsOf, uniqueEmail } from '../helpers.ts';
import { callback, FormBrowser } from '../oauth-helpers.ts';
import { arnOf, type Event, errorOf, password, startTriggerIdp, type TriggerIdp } from './harness.ts';

let t: TriggerIdp;
beforeAll(async () => {
  t = await startTriggerIdp();
});
afterAll(() => t.close());
beforeEach(async () => {
  t.reset();
  await t.configure(['UserMigration']);
});

const signIn = (email: string, pw = password, ClientMetadata?: Record<string, string>) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: t.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: pw },
      ClientMetadata,
    }),
  );

/** The old directory: knows one password per address. */
const legacy = new Map<string, string>();
function oldDirectory(e: Event) {
  const known = legacy.get(e.userName);
  if (!known) throw new Error('User not found in the old directory');
  if (e.triggerSource === 'UserMigration_Authentication' && e.request.password !== known)
    throw new Error('Bad password');
  return {
    ...e,
    response: {
      ...e.response,
      userAttributes: { email: e.userName, email_verified: 'true', name: 'Migrated' },
      finalUserStatus: 'CONFIRMED',
      messageAction: 'SUPPRESS',
    },
  };
}

describe('UserMigration', () => {
  it('USER_PASSWORD_AUTH: an unknown user the old directory vouches for is created with that password and signed in', async () => {
    const email = uniqueEmail('legacy');
    legacy.set(email, password);
    t.on('UserMigration', oldDirectory);
    const out = await signIn(email, password, { app: 'mobile' });
    expect(claimsOf(out.AuthenticationResult!.IdToken!)).toMatchObject({
      email,
      name: 'Migrated',
      email_verified: true,
    });
    expect(t.events.UserMigration[0]).toMatchObject({
      triggerSource: 'UserMigration_Authentication',
      userName: email,
      callerContext: { clientId: t.clientId },
      request: { password, validationData: { app: 'mobile' } },
    });
    // Known now: the next sign-in does not ask the old directory again.
    await signIn(email);
    expect(t.events.UserMigration).toHaveLength(1);
    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: t.poolId, Username: email }));
    expect(user.UserStatus).toBe('CONFIRMED');
    // The dev page shows that a password was sent, never the password.
    const page = await fetch(`${t.idp.url}/_dev/triggers?format=json&trigger=UserMigration`).then((r) =>
      r.text(),
    );
    expect(page).toContain('"password":"(redacted)"');
    expect(page).not.toContain(password);
  });

  it('the managed login: a password posted for an unknown user migrates them and the code buys their tokens', async () => {
    const email = uniqueEmail('legacy-hosted');
    legacy.set(email, password);
    t.on('UserMigration', oldDirectory);
    const { UserPoolClient } = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: t.poolId,
        ClientName: 'hosted-migration',
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
        CallbackURLs: [callback],
        SupportedIdentityProviders: ['COGNITO'],
      }),
    );
    const clientId = UserPoolClient!.ClientId!;
    // The /login page's form, posted as the browser posts it.
    const browser = new FormBrowser(t.idp.url);
    const params = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: callback,
      scope: 'openid email profile',
    });
    const back = new URL(await browser.signIn(`/oauth2/authorize?${params}`, email, password));
    const code = back.searchParams.get('code');
    expect(code).toBeTruthy();
    expect(t.events.UserMigration).toHaveLength(1);
    expect(t.events.UserMigration[0]).toMatchObject({
      triggerSource: 'UserMigration_Authentication',
      userName: email,
      callerContext: { clientId },
      request: { password },
    });
    const res = await fetch(`${t.idp.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        code: code!,
        redirect_uri: callback,
      }),
    });
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as { id_token: string };
    expect(claimsOf(tokens.id_token)).toMatchObject({ email, name: 'Migrated', email_verified: true });
    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: t.poolId, Username: email }));
    expect(user.UserStatus).toBe('CONFIRMED');
  });

  it('a refusal from the function creates nobody', async () => {
    const email = uniqueEmail('legacy-bad');
    legacy.set(email, password);
    t.on('UserMigration', oldDirectory);
    const err = await errorOf(signIn(email, 'not the password at all'));
    expect(err?.name).toBe('UserLambdaValidationException');
    expect(err?.message).toBe('UserMigration failed with error Bad password.');
    expect(
      (await errorOf(t.cognito.send(new AdminGetUserCommand({ UserPoolId: t.poolId, Username: email }))))
        ?.name,
    ).toBe('UserNotFoundException');
  });

  it('ForgotPassword: the user arrives RESET_REQUIRED (no password in the event), gets a code and resets', async () => {
    const email = uniqueEmail('legacy-reset');
    legacy.set(email, 'forgotten');
    t.on('UserMigration', oldDirectory);
    await t.cognito.send(new ForgotPasswordCommand({ ClientId: t.clientId, Username: email }));
    const [event] = t.events.UserMigration;
    expect(event.triggerSource).toBe('UserMigration_ForgotPassword');
    expect(event.request.password).toBeUndefined();
    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: t.poolId, Username: email }));
    expect(user.UserStatus).toBe('RESET_REQUIRED');
    await t.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: t.clientId,
        Username: email,
        ConfirmationCode: await t.lastCode(email, 'reset'),
        Password: `${password}-new`,
      }),
    );
    expect((await signIn(email, `${password}-new`)).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('ForgotPassword’s ClientMetadata reaches the function as clientMetadata (InitiateAuth’s is validationData)', async () => {
    const email = uniqueEmail('legacy-reset-meta');
    legacy.set(email, 'forgotten');
    t.on('UserMigration', oldDirectory);
    await t.cognito.send(
      new ForgotPasswordCommand({
        ClientId: t.clientId,
        Username: email,
        ClientMetadata: { from: 'help-page' },
      }),
    );
    expect(t.events.UserMigration[0].request).toEqual({
      validationData: null,
      userAttributes: null,
      clientMetadata: { from: 'help-page' },
    });
  });

  it('the pool’s password policy does not apply to a migrated password; RESET_REQUIRED asks for a new one', async () => {
    // The pool wants 8 characters; the old directory allowed 5.
    const weak = 'ab1!x';
    const email = uniqueEmail('legacy-weak');
    legacy.set(email, weak);
    t.on('UserMigration', oldDirectory);
    expect((await signIn(email, weak)).AuthenticationResult?.AccessToken).toBeTruthy();
    // A function that wants the weak password replaced answers RESET_REQUIRED: the sign-in is
    // refused with PasswordResetRequiredException and the user is there to reset.
    const other = uniqueEmail('legacy-weak-reset');
    legacy.set(other, weak);
    t.on('UserMigration', (e: Event) => {
      const answer = oldDirectory(e);
      return { ...answer, response: { ...answer.response, finalUserStatus: 'RESET_REQUIRED' } };
    });
    const err = await errorOf(signIn(other, weak));
    expect(err?.name).toBe('PasswordResetRequiredException');
    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: t.poolId, Username: other }));
    expect(user.UserStatus).toBe('RESET_REQUIRED');
  });

  it('forceAliasCreation moves a verified e-mail alias to the migrated user; without it nobody is migrated', async () => {
    const { UserPool } = await t.cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'alias-migration',
        AliasAttributes: ['email'],
        LambdaConfig: { UserMigration: arnOf('UserMigration') },
      }),
    );
    const UserPoolId = UserPool!.Id!;
    const { UserPoolClient } = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId,
        ClientName: 'alias-app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const ClientId = UserPoolClient!.ClientId!;
    const email = uniqueEmail('alias-held');
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username: 'holder',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    let force = false;
    t.on('UserMigration', (e: Event) => ({
      ...e,
      response: {
        ...e.response,
        userAttributes: { email, email_verified: 'true' },
        forceAliasCreation: force,
      },
    }));
    const migrate = () =>
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'legacy-name', PASSWORD: password },
        }),
      );
    const getUser = (Username: string) => t.cognito.send(new AdminGetUserCommand({ UserPoolId, Username }));
    expect((await errorOf(migrate()))?.name).toBe('AliasExistsException');
    expect((await errorOf(getUser('legacy-name')))?.name).toBe('UserNotFoundException');
    force = true;
    expect((await migrate()).AuthenticationResult?.AccessToken).toBeTruthy();
    const verified = async (u: string) =>
      (await getUser(u)).UserAttributes?.find((a) => a.Name === 'email_verified')?.Value;
    expect(await verified('holder')).toBe('false');
    expect(await verified('legacy-name')).toBe('true');
  });

  it('SRP never carries the password, so it never migrates', async () => {
    const email = uniqueEmail('legacy-srp');
    legacy.set(email, password);
    t.on('UserMigration', oldDirectory);
    const err = await errorOf(
      srpSignIn(t.cognito, { userPoolId: t.poolId, clientId: t.clientId }, email, password),
    );
    expect(err?.name).toBe('NotAuthorizedException');
    expect(t.events.UserMigration).toHaveLength(0);
  });
});
