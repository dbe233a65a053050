import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from './helpers.ts';
import { choicePool, errorOf } from './mfa-helpers.ts';
import { SoftwarePasskey } from './webauthn-authenticator.ts';

// Passkeys through the AWS SDK with a software authenticator (real P-256 signatures, verified by the
// IdP with @simplewebauthn/server): registration, listing, sign-in with USER_AUTH WEB_AUTHN, deletion.
let t: TestIdp;
let poolId: string;
let clientId: string;
const password = 'Strong-Pass-123!';
const origin = 'http://localhost:5173';

beforeAll(async () => {
  t = await startTestIdp();
  ({ poolId, clientId } = await choicePool(t, 'passkeys', ['PASSWORD', 'WEB_AUTHN']));
});
afterAll(() => t.close());

let n = 0;
async function signedInUser() {
  const email = `passkey${n++}@example.com`;
  await t.cognito.send(
    new sdk.AdminCreateUserCommand({ UserPoolId: poolId, Username: email, MessageAction: 'SUPPRESS' }),
  );
  await t.cognito.send(
    new sdk.AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  const out = await t.cognito.send(
    new sdk.InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password },
    }),
  );
  return { email, AccessToken: out.AuthenticationResult!.AccessToken! };
}

type Options = { challenge: string; rp: { id?: string }; user: { id: string } };

async function register(AccessToken: string, key = new SoftwarePasskey(origin)) {
  const start = await t.cognito.send(new sdk.StartWebAuthnRegistrationCommand({ AccessToken }));
  const options = start.CredentialCreationOptions as unknown as Options;
  await t.cognito.send(
    new sdk.CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: key.create(options) as never }),
  );
  return key;
}

describe('passkeys', () => {
  it('refuses registration without a relying party id or domain (WebAuthnConfigurationMissingException)', async () => {
    const { AccessToken } = await signedInUser();
    const err = await errorOf(t.cognito.send(new sdk.StartWebAuthnRegistrationCommand({ AccessToken })));
    expect(err.name).toBe('WebAuthnConfigurationMissingException');
  });

  it('registers, lists, signs in with WEB_AUTHN (no password), and deletes a passkey', async () => {
    await t.cognito.send(
      new sdk.SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: 'OFF',
        WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'preferred' },
      }),
    );
    const { email, AccessToken } = await signedInUser();
    const start = await t.cognito.send(new sdk.StartWebAuthnRegistrationCommand({ AccessToken }));
    const options = start.CredentialCreationOptions as unknown as Options & { rp: { name: string } };
    expect(options.rp).toEqual({ id: 'localhost', name: 'passkeys' });
    const key = new SoftwarePasskey(origin);
    await t.cognito.send(
      new sdk.CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: key.create(options) as never }),
    );
    const again = await errorOf(
      t.cognito.send(
        new sdk.CompleteWebAuthnRegistrationCommand({
          AccessToken,
          Credential: key.create(options) as never,
        }),
      ),
    );
    expect(again.name).toBe('WebAuthnChallengeNotFoundException');

    const listed = await t.cognito.send(new sdk.ListWebAuthnCredentialsCommand({ AccessToken }));
    expect(listed.Credentials).toHaveLength(1);
    expect(listed.Credentials![0]).toMatchObject({
      CredentialId: key.credentialId,
      RelyingPartyId: 'localhost',
      AuthenticatorAttachment: 'platform',
      AuthenticatorTransports: ['internal'],
    });
    const factors = await t.cognito.send(new sdk.GetUserAuthFactorsCommand({ AccessToken }));
    expect(factors.ConfiguredUserAuthFactors).toEqual(['PASSWORD', 'WEB_AUTHN']);

    const begin = await t.cognito.send(
      new sdk.InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_AUTH',
        AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'WEB_AUTHN' },
      }),
    );
    expect(begin.ChallengeName).toBe('WEB_AUTHN');
    const request = JSON.parse(begin.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!);
    expect(request.rpId).toBe('localhost');
    expect(request.allowCredentials.map((c: { id: string }) => c.id)).toEqual([key.credentialId]);
    const done = await t.cognito.send(
      new sdk.RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'WEB_AUTHN',
        Session: begin.Session,
        ChallengeResponses: { USERNAME: email, CREDENTIAL: JSON.stringify(key.get(request)) },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();

    await t.cognito.send(
      new sdk.DeleteWebAuthnCredentialCommand({ AccessToken, CredentialId: key.credentialId }),
    );
    expect(
      (await t.cognito.send(new sdk.ListWebAuthnCredentialsCommand({ AccessToken }))).Credentials,
    ).toEqual([]);
    const gone = await errorOf(
      t.cognito.send(
        new sdk.DeleteWebAuthnCredentialCommand({ AccessToken, CredentialId: key.credentialId }),
      ),
    );
    expect(gone.name).toBe('ResourceNotFoundException');
  });

  it('refuses an assertion from another key, a wrong origin and a replayed session', async () => {
    const { email, AccessToken } = await signedInUser();
    const key = await register(AccessToken);
    const begin = () =>
      t.cognito.send(
        new sdk.InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_AUTH',
          AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'WEB_AUTHN' },
        }),
      );
    const respond = (Session: string | undefined, credential: unknown) =>
      t.cognito.send(
        new sdk.RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'WEB_AUTHN',
          Session,
          ChallengeResponses: { USERNAME: email, CREDENTIAL: JSON.stringify(credential) },
        }),
      );
    const a = await begin();
    const request = JSON.parse(a.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!);
    const stranger = new SoftwarePasskey(origin);
    expect((await errorOf(respond(a.Session, stranger.get(request)))).name).toBe('NotAuthorizedException');
    const b = await begin();
    const evil = new SoftwarePasskey('http://evil.example');
    Object.assign(evil, { id: key.id });
    const wrongOrigin = await errorOf(
      respond(b.Session, evil.get(JSON.parse(b.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!))),
    );
    expect(wrongOrigin.name).toBe('WebAuthnOriginNotAllowedException');
    const c = await begin();
    const answer = key.get(JSON.parse(c.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!));
    expect((await respond(c.Session, answer)).AuthenticationResult).toBeDefined();
    const replay = await errorOf(respond(c.Session, answer));
    expect(replay).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });

  it('takes the relying-party id from the pool’s domain settings: a custom domain, else localhost for a prefix; an id set wins', async () => {
    /** A user of `pool` signed in with the password, and the RP id StartWebAuthnRegistration offers. */
    const rpIdOf = async (pool: { poolId: string; clientId: string }) => {
      const email = `rp${n++}@example.com`;
      await t.cognito.send(
        new sdk.AdminCreateUserCommand({
          UserPoolId: pool.poolId,
          Username: email,
          MessageAction: 'SUPPRESS',
        }),
      );
      await t.cognito.send(
        new sdk.AdminSetUserPasswordCommand({
          UserPoolId: pool.poolId,
          Username: email,
          Password: password,
          Permanent: true,
        }),
      );
      const out = await t.cognito.send(
        new sdk.InitiateAuthCommand({
          ClientId: pool.clientId,
          AuthFlow: 'USER_AUTH',
          AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password },
        }),
      );
      const AccessToken = out.AuthenticationResult!.AccessToken!;
      const start = await t.cognito.send(new sdk.StartWebAuthnRegistrationCommand({ AccessToken }));
      return (start.CredentialCreationOptions as unknown as Options).rp.id;
    };
    const custom = await choicePool(t, 'passkeys-custom-domain', ['PASSWORD', 'WEB_AUTHN']);
    await t.cognito.send(
      new sdk.CreateUserPoolDomainCommand({
        UserPoolId: custom.poolId,
        Domain: 'auth.passkeys.example.com',
        CustomDomainConfig: {
          CertificateArn:
            'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000',
        },
      }),
    );
    expect(await rpIdOf(custom)).toBe('auth.passkeys.example.com');
    const prefix = await choicePool(t, 'passkeys-prefix-domain', ['PASSWORD', 'WEB_AUTHN']);
    await t.cognito.send(
      new sdk.CreateUserPoolDomainCommand({
        UserPoolId: prefix.poolId,
        Domain: `passkeys-prefix-${process.pid}`,
      }),
    );
    expect(await rpIdOf(prefix)).toBe('localhost');
    await t.cognito.send(
      new sdk.SetUserPoolMfaConfigCommand({
        UserPoolId: custom.poolId,
        WebAuthnConfiguration: { RelyingPartyId: 'passkeys.example.com' },
      }),
    );
    expect(await rpIdOf(custom)).toBe('passkeys.example.com');
  });

  it('needs WEB_AUTHN among the pool’s first factors (WebAuthnNotEnabledException)', async () => {
    const { AccessToken } = await signedInUser();
    await t.cognito.send(
      new sdk.UpdateUserPoolCommand({
        UserPoolId: poolId,
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] } },
      }),
    );
    try {
      const err = await errorOf(t.cognito.send(new sdk.StartWebAuthnRegistrationCommand({ AccessToken })));
      expect(err.name).toBe('WebAuthnNotEnabledException');
    } finally {
      await t.cognito.send(
        new sdk.UpdateUserPoolCommand({
          UserPoolId: poolId,
          Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
        }),
      );
    }
  });
});
