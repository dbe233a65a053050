import {
  AdminCreateUserCommand,
  AdminDisableProviderForUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  AdminSetUserPasswordCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizePath,
  failure,
  mockUsers,
  redeemCallback,
  startFederatedIdp,
  throughProvider,
} from './federation-helpers.ts';
import { claimsOf } from './helpers.ts';
import { FormBrowser } from './oauth-helpers.ts';
import { libraryAuthenticate } from './srp-helpers.ts';
import { confirmedUser, password, type TriggerIdp } from './triggers/harness.ts';

// AdminLinkProviderForUser / AdminDisableProviderForUser through the AWS SDK, and what a linked
// identity's sign-in yields: the existing user's tokens (Cognito's "linking federated users").
let t: TriggerIdp;
let fx: Awaited<ReturnType<typeof startFederatedIdp>>['fx'];
let close: () => Promise<void>;
const extra = { sub: '110000000000000000099', email: 'linked@example.com', name: 'Linked Person' };
beforeAll(async () => {
  ({ t, fx, close } = await startFederatedIdp([...mockUsers, extra]));
});
afterAll(() => close?.());

async function signInThroughProvider(sub: string) {
  const answer = await throughProvider(
    new FormBrowser(t.idp.url),
    fx.mock,
    authorizePath(fx.clientId, { identity_provider: 'MockGoogle' }),
    sub,
  );
  const error = new URL(answer.location).searchParams.get('error_description');
  if (error) return { error };
  return { id: (await redeemCallback(t, fx.clientId, answer.location)).id };
}

const link = (
  destination: string,
  sourceSub: string,
  attributeName = 'Cognito_Subject',
  provider = 'MockGoogle',
) =>
  t.cognito.send(
    new AdminLinkProviderForUserCommand({
      UserPoolId: t.poolId,
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: destination },
      SourceUser: {
        ProviderName: provider,
        ProviderAttributeName: attributeName,
        ProviderAttributeValue: sourceSub,
      },
    }),
  );

describe('linking federated identities', () => {
  it('links an identity to an existing e-mail account: the federated sign-in yields that user', async () => {
    const created = await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: t.poolId,
        Username: extra.email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: extra.email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await t.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: t.poolId,
        Username: extra.email,
        Password: password,
        Permanent: true,
      }),
    );
    const native = created.User!;
    await link(native.Username!, extra.sub);
    const attrs = Object.fromEntries(
      (
        await t.cognito.send(new AdminGetUserCommand({ UserPoolId: t.poolId, Username: native.Username! }))
      ).UserAttributes!.map((a) => [a.Name, a.Value]),
    );
    expect(JSON.parse(attrs.identities!)).toEqual([
      {
        userId: extra.sub,
        providerName: 'MockGoogle',
        providerType: 'OIDC',
        issuer: null,
        primary: false,
        dateCreated: expect.any(Number),
      },
    ]);

    const { id } = await signInThroughProvider(extra.sub);
    expect(id).toMatchObject({ 'cognito:username': native.Username, email: extra.email });
    // The provider's mapped attributes are copied into the linked user at every sign-in, as Cognito does.
    expect(id!.name).toBe(extra.name);
    const updated = await t.cognito.send(
      new AdminGetUserCommand({ UserPoolId: t.poolId, Username: native.Username! }),
    );
    expect(updated.UserAttributes).toContainEqual({ Name: 'name', Value: extra.name });
    expect(id!.identities).toEqual([
      {
        userId: extra.sub,
        providerName: 'MockGoogle',
        providerType: 'OIDC',
        issuer: null,
        primary: 'false',
        dateCreated: expect.any(String),
      },
    ]);
    // No federated profile was made for the linked identity.
    expect(
      await failure(
        t.cognito.send(
          new AdminGetUserCommand({ UserPoolId: t.poolId, Username: `MockGoogle_${extra.sub}` }),
        ),
      ),
    ).toBe('UserNotFoundException: User does not exist.');

    expect(await failure(link(native.Username!, extra.sub))).toBe(
      'InvalidParameterException: SourceUser is already linked to DestinationUser',
    );

    // Unlinked, the identity's next sign-in makes its own profile.
    await t.cognito.send(
      new AdminDisableProviderForUserCommand({
        UserPoolId: t.poolId,
        User: {
          ProviderName: 'MockGoogle',
          ProviderAttributeName: 'Cognito_Subject',
          ProviderAttributeValue: extra.sub,
        },
      }),
    );
    const after = await signInThroughProvider(extra.sub);
    expect(after.id!['cognito:username']).toBe(`MockGoogle_${extra.sub}`);
  });

  it("refuses with Cognito's errors", async () => {
    const ada = mockUsers[0]!;
    const email = 'someone@example.com';
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: t.poolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    // An identity that has signed in already has its own profile: Cognito does not merge.
    await signInThroughProvider(ada.sub);
    expect(await failure(link(email, ada.sub))).toBe(
      'InvalidParameterException: Merging is not currently supported, provide a SourceUser that has not been signed up in order to link',
    );
    expect(await failure(link('nobody@example.com', '1'))).toBe(
      'UserNotFoundException: User does not exist.',
    );
    expect(await failure(link(email, '2', 'email'))).toMatch(/^InvalidParameterException: .*Cognito_Subject/);
    expect(await failure(link(email, '3', 'Cognito_Subject', 'Nope'))).toMatch(
      /^InvalidParameterException: /,
    );
    expect(
      await failure(
        t.cognito.send(
          new AdminLinkProviderForUserCommand({
            UserPoolId: t.poolId,
            DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: email },
          } as never),
        ),
      ),
    ).toBe(
      "InvalidParameterException: 1 validation error detected: Value null at 'sourceUser' failed to satisfy constraint: Member must not be null",
    );

    // Disabling the identity's own profile ends its sign-ins.
    await t.cognito.send(
      new AdminDisableProviderForUserCommand({
        UserPoolId: t.poolId,
        User: {
          ProviderName: 'MockGoogle',
          ProviderAttributeName: 'Cognito_Subject',
          ProviderAttributeValue: ada.sub,
        },
      }),
    );
    expect((await signInThroughProvider(ada.sub)).error).toBe('User is disabled.');
  });

  it('ProviderName Cognito ends the native password sign-in; linked identities still sign in', async () => {
    const alan = mockUsers[2]!;
    const email = await confirmedUser(t, 'password-off');
    await link(email, alan.sub);
    const disable = (ProviderAttributeValue: string, ProviderAttributeName = 'Cognito_Subject') =>
      t.cognito.send(
        new AdminDisableProviderForUserCommand({
          UserPoolId: t.poolId,
          User: { ProviderName: 'Cognito', ProviderAttributeName, ProviderAttributeValue },
        }),
      );
    const signIn = (name = email) =>
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: t.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: name, PASSWORD: password },
        }),
      );
    const sub = claimsOf((await signIn()).AuthenticationResult!.IdToken!).sub as string;
    expect(await failure(disable(email, 'email'))).toMatch(/^InvalidParameterException: .*Cognito_Subject/);
    expect(await failure(disable('nobody@example.com'))).toBe('UserNotFoundException: User does not exist.');
    await disable(email);
    expect(await failure(signIn())).toBe('NotAuthorizedException: Incorrect username or password.');
    await expect(libraryAuthenticate(t.idp.url, t.poolId, t.clientId, email, password)).rejects.toMatchObject(
      {
        code: 'NotAuthorizedException',
      },
    );
    // The linked identity signs in as the same user, whose mapped attributes (the e-mail too) are now the provider's.
    const { id } = await signInThroughProvider(alan.sub);
    expect(id).toMatchObject({ 'cognito:username': sub, email: alan.email, name: alan.name });
    // A new password from the administrator signs in again.
    await t.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: t.poolId,
        Username: sub,
        Password: password,
        Permanent: true,
      }),
    );
    expect((await signIn(alan.email)).AuthenticationResult).toBeDefined();
  });
});
