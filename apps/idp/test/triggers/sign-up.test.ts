import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uniqueEmail } from '../helpers.ts';
import { arnOf, type Event, errorOf, password, startTriggerIdp, type TriggerIdp } from './harness.ts';

let t: TriggerIdp;
beforeAll(async () => {
  t = await startTriggerIdp({ triggerTimeoutMs: 300 });
});
afterAll(() => t.close());
beforeEach(() => t.reset());

const signUp = (email: string, extra: Record<string, unknown> = {}) =>
  t.cognito.send(new SignUpCommand({ ClientId: t.clientId, Username: email, Password: password, ...extra }));
const userStatus = async (email: string) =>
  (await t.cognito.send(new AdminGetUserCommand({ UserPoolId: t.poolId, Username: email }))).UserStatus;

describe('PreSignUp and PostConfirmation (AWS SDK)', () => {
  it('PreSignUp_SignUp gets the attributes, validation data and client metadata; autoConfirm confirms and runs PostConfirmation', async () => {
    await t.configure(['PreSignUp', 'PostConfirmation']);
    t.on('PreSignUp', (e: Event) => ({
      ...e,
      response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false },
    }));
    const email = uniqueEmail('auto');
    const out = await signUp(email, {
      UserAttributes: [{ Name: 'name', Value: 'Ada' }],
      ValidationData: [{ Name: 'captcha', Value: 'ok' }],
      ClientMetadata: { source: 'landing-page' },
    });
    expect(out.UserConfirmed).toBe(true);
    expect(out.CodeDeliveryDetails).toBeUndefined();
    const [pre] = t.events.PreSignUp;
    expect(pre).toMatchObject({
      version: '1',
      triggerSource: 'PreSignUp_SignUp',
      region: 'us-east-1',
      userPoolId: t.poolId,
      userName: out.UserSub,
      callerContext: { clientId: t.clientId },
      request: {
        userAttributes: { email, name: 'Ada' },
        validationData: { captcha: 'ok' },
        clientMetadata: { source: 'landing-page' },
      },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    const [post] = t.events.PostConfirmation;
    expect(post.triggerSource).toBe('PostConfirmation_ConfirmSignUp');
    expect(post.request.userAttributes).toMatchObject({
      sub: out.UserSub,
      email,
      email_verified: 'true',
      'cognito:user_status': 'CONFIRMED',
    });
    expect(await userStatus(email)).toBe('CONFIRMED');
    expect(await t.mailbox(email)).toEqual([]);
  });

  it('a thrown error refuses the sign-up with UserLambdaValidationException and creates nobody', async () => {
    await t.configure(['PreSignUp']);
    t.on('PreSignUp', () => {
      throw new Error('Sign-ups from this domain are closed');
    });
    const email = uniqueEmail('refused');
    const err = await errorOf(signUp(email));
    expect(err?.name).toBe('UserLambdaValidationException');
    expect(err?.message).toBe('PreSignUp failed with error Sign-ups from this domain are closed.');
    expect((await errorOf(userStatus(email)))?.name).toBe('UserNotFoundException');
  });

  it('an answer that is not an event is InvalidLambdaResponseException', async () => {
    await t.configure(['PreSignUp']);
    t.on('PreSignUp', () => 'ok');
    const err = await errorOf(signUp(uniqueEmail('bad-output')));
    expect(err?.name).toBe('InvalidLambdaResponseException');
    expect(err?.message).toBe('Unrecognizable lambda output');
  });

  it('a function that never answers is tried three times, then UnexpectedLambdaException', async () => {
    await t.configure(['PreSignUp']);
    t.on('PreSignUp', () => new Promise(() => {}));
    const err = await errorOf(signUp(uniqueEmail('slow')));
    expect(err?.name).toBe('UnexpectedLambdaException');
    expect(err?.message).toBe(
      'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
    );
    expect(t.events.PreSignUp).toHaveLength(3);
  });

  it('an ARN with no local function is UnexpectedLambdaException (ResourceNotFoundException)', async () => {
    await t.cognito.send(
      new (await import('@aws-sdk/client-cognito-identity-provider')).UpdateUserPoolCommand({
        UserPoolId: t.poolId,
        AutoVerifiedAttributes: ['email'],
        LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:123456789012:function:nobody-maps-this' },
      }),
    );
    const err = await errorOf(signUp(uniqueEmail('unmapped')));
    expect(err?.name).toBe('UnexpectedLambdaException');
    expect(err?.message).toBe('PreSignUp invocation failed due to error ResourceNotFoundException.');
  });

  it('ConfirmSignUp runs PostConfirmation_ConfirmSignUp with its client metadata; a failure fails the call but the user stays confirmed', async () => {
    await t.configure(['PostConfirmation']);
    const email = uniqueEmail('confirm');
    await signUp(email);
    t.on('PostConfirmation', () => {
      throw new Error('database unavailable');
    });
    const err = await errorOf(
      t.cognito.send(
        new ConfirmSignUpCommand({
          ClientId: t.clientId,
          Username: email,
          ConfirmationCode: await t.lastCode(email, 'signup'),
          ClientMetadata: { plan: 'pro' },
        }),
      ),
    );
    expect(err?.message).toBe('PostConfirmation failed with error database unavailable.');
    const [post] = t.events.PostConfirmation;
    expect(post).toMatchObject({
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      callerContext: { clientId: t.clientId },
      request: { clientMetadata: { plan: 'pro' }, userAttributes: { email, email_verified: 'true' } },
    });
    expect(await userStatus(email)).toBe('CONFIRMED');
  });

  it('AdminConfirmSignUp and ConfirmForgotPassword run PostConfirmation with their sources', async () => {
    await t.configure(['PostConfirmation']);
    const email = uniqueEmail('admin-confirm');
    await signUp(email);
    await t.cognito.send(
      new AdminConfirmSignUpCommand({
        UserPoolId: t.poolId,
        Username: email,
        ClientMetadata: { by: 'admin' },
      }),
    );
    expect(t.events.PostConfirmation[0]).toMatchObject({
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      request: { clientMetadata: { by: 'admin' } },
    });
    // A reset needs a verified address: confirm by code on a second user.
    const other = uniqueEmail('reset');
    await signUp(other);
    await t.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: t.clientId,
        Username: other,
        ConfirmationCode: await t.lastCode(other, 'signup'),
      }),
    );
    await t.cognito.send(new ForgotPasswordCommand({ ClientId: t.clientId, Username: other }));
    await t.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: t.clientId,
        Username: other,
        ConfirmationCode: await t.lastCode(other, 'reset'),
        Password: `${password}2`,
        ClientMetadata: { from: 'reset-page' },
      }),
    );
    expect(t.events.PostConfirmation.map((e) => e.triggerSource)).toEqual([
      'PostConfirmation_ConfirmSignUp',
      'PostConfirmation_ConfirmSignUp',
      'PostConfirmation_ConfirmForgotPassword',
    ]);
    expect(t.events.PostConfirmation[2]).toMatchObject({
      callerContext: { clientId: t.clientId },
      request: {
        clientMetadata: { from: 'reset-page' },
        userAttributes: { email: other, email_verified: 'true', 'cognito:user_status': 'CONFIRMED' },
      },
    });
    // The effect: the admin-confirmed user is CONFIRMED, the new password signs in.
    expect(await userStatus(email)).toBe('CONFIRMED');
    const signedIn = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: t.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: other, PASSWORD: `${password}2` },
      }),
    );
    expect(signedIn.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('autoVerifyPhone without autoConfirmUser: the phone number is verified, the user still confirms by code', async () => {
    await t.configure(['PreSignUp']);
    t.on('PreSignUp', (e: Event) => ({ ...e, response: { ...e.response, autoVerifyPhone: true } }));
    const email = uniqueEmail('phone');
    const out = await signUp(email, { UserAttributes: [{ Name: 'phone_number', Value: '+15555550123' }] });
    expect(out.UserConfirmed).toBe(false);
    expect(t.events.PreSignUp[0].request.userAttributes).toMatchObject({ phone_number: '+15555550123' });
    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: t.poolId, Username: email }));
    expect(user.UserStatus).toBe('UNCONFIRMED');
    expect(user.UserAttributes).toContainEqual({ Name: 'phone_number_verified', Value: 'true' });
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'false' });
    expect(await t.lastCode(email, 'signup')).toMatch(/^\d{6}$/);
    // A flag for an attribute the user does not have fails the sign-up.
    const err = await errorOf(signUp(uniqueEmail('no-phone')));
    expect(err?.name).toBe('InvalidParameterException');
  });

  it('in an alias pool an auto-verified e-mail moves to the new user; the old holder’s copy becomes unverified', async () => {
    const { UserPool } = await t.cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'alias-triggers',
        AliasAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        LambdaConfig: { PreSignUp: arnOf('PreSignUp') },
      }),
    );
    const { UserPoolClient } = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: UserPool!.Id!,
        ClientName: 'alias-app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const ClientId = UserPoolClient!.ClientId!;
    const email = uniqueEmail('alias');
    const attrs = [{ Name: 'email', Value: email }];
    // The first holder confirms by code: the e-mail is verified, so it is their alias.
    await t.cognito.send(
      new SignUpCommand({ ClientId, Username: 'first', Password: password, UserAttributes: attrs }),
    );
    await t.cognito.send(
      new ConfirmSignUpCommand({
        ClientId,
        Username: 'first',
        ConfirmationCode: await t.lastCode(email, 'signup'),
      }),
    );
    t.on('PreSignUp', (e: Event) => ({
      ...e,
      response: { ...e.response, autoConfirmUser: true, autoVerifyEmail: true },
    }));
    const second = await t.cognito.send(
      new SignUpCommand({ ClientId, Username: 'second', Password: password, UserAttributes: attrs }),
    );
    expect(second.UserConfirmed).toBe(true);
    const verifiedOf = async (Username: string) =>
      (
        await t.cognito.send(new AdminGetUserCommand({ UserPoolId: UserPool!.Id!, Username }))
      ).UserAttributes?.find((a) => a.Name === 'email_verified')?.Value;
    expect(await verifiedOf('first')).toBe('false');
    expect(await verifiedOf('second')).toBe('true');
    // Signing in with the address is now the second user.
    const signIn = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const claims = JSON.parse(
      Buffer.from(signIn.AuthenticationResult!.IdToken!.split('.')[1]!, 'base64url').toString(),
    );
    expect(claims['cognito:username']).toBe('second');
  });

  it('PreSignUp_AdminCreateUser may refuse an invitation; its confirm and verify flags are ignored, as in Cognito', async () => {
    await t.configure(['PreSignUp']);
    t.on('PreSignUp', (e: Event) =>
      e.request.userAttributes.email.endsWith('@blocked.example')
        ? Promise.reject(new Error('blocked domain'))
        : { ...e, response: { ...e.response, autoVerifyEmail: true, autoConfirmUser: true } },
    );
    const email = uniqueEmail('invited');
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: t.poolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        ClientMetadata: { invitedBy: 'ops' },
      }),
    );
    expect(t.events.PreSignUp[0]).toMatchObject({
      triggerSource: 'PreSignUp_AdminCreateUser',
      callerContext: { clientId: 'CLIENT_ID_NOT_APPLICABLE' },
      request: { userAttributes: { email }, clientMetadata: { invitedBy: 'ops' } },
    });
    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: t.poolId, Username: email }));
    expect(user.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(user.UserAttributes).not.toContainEqual({ Name: 'email_verified', Value: 'true' });
    const err = await errorOf(
      t.cognito.send(new AdminCreateUserCommand({ UserPoolId: t.poolId, Username: 'x@blocked.example' })),
    );
    expect(err?.message).toBe('PreSignUp failed with error blocked domain.');
  });
});
