import { srpSignIn } from '@app/cognito-srp/sign-in';
import {
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { libraryAuthenticate } from './srp-helpers.ts';
import { localVerifier } from './verifier.ts';

let t: TestIdp;
const email = uniqueEmail('srp');
const other = uniqueEmail('srp-other');

beforeAll(async () => {
  t = await startTestIdp({
    users: [
      { email, password: poolPassword, name: 'Alan Turing', groups: ['admin'] },
      { email: other, password: 'another good passphrase' },
    ],
  });
});
afterAll(() => t.close());

describe('USER_SRP_AUTH (real SRP-6a)', () => {
  it('signs in through amazon-cognito-identity-js authenticateUser with the web client', async () => {
    const session = await libraryAuthenticate(
      t.idp.url,
      t.idp.pool.poolId,
      t.web.clientId,
      email,
      poolPassword,
    );
    expect(session.isValid()).toBe(true);
    const id = session.getIdToken().decodePayload();
    expect(id.email).toBe(email);
    expect(id['cognito:groups']).toEqual(['admin']);
    const verifier = localVerifier({ ...t.idp.pool, clientIds: [t.web.clientId], tokenUse: 'access' });
    await expect(verifier.verify(session.getAccessToken().getJwtToken())).resolves.toMatchObject({
      client_id: t.web.clientId,
    });
    expect(session.getRefreshToken().getToken()).toBeTruthy();
  });

  it('refuses a wrong password through the library with "Incorrect username or password."', async () => {
    const err = await libraryAuthenticate(
      t.idp.url,
      t.idp.pool.poolId,
      t.web.clientId,
      email,
      'wrong password!!',
    ).catch((e) => e);
    expect(err.code).toBe('NotAuthorizedException');
    expect(err.message).toBe('Incorrect username or password.');
  });

  it("refuses a claim made with another user's password", async () => {
    const err = await libraryAuthenticate(
      t.idp.url,
      t.idp.pool.poolId,
      t.web.clientId,
      email,
      'another good passphrase',
    ).catch((e) => e);
    expect(err.code).toBe('NotAuthorizedException');
  });

  it('signs in over the AWS SDK with SECRET_HASH on the backend client, in both steps', async () => {
    const backend = { userPoolId: t.idp.pool.poolId, ...t.backend };
    const out = await srpSignIn(t.cognito, backend, email, poolPassword);
    expect(claimsOf(out.AuthenticationResult!.AccessToken!).client_id).toBe(t.backend.clientId);
  });

  it('requires and checks SECRET_HASH for the secret client', async () => {
    const base = { userPoolId: t.idp.pool.poolId, clientId: t.backend.clientId };
    const missing = await srpSignIn(t.cognito, base, email, poolPassword).catch((e) => e);
    expect(missing.name).toBe('NotAuthorizedException');
    expect(missing.message).toBe(
      `Client ${t.backend.clientId} is configured for secret but secret was not received`,
    );
    const wrong = await srpSignIn(
      t.cognito,
      { ...base, clientSecret: 'not the secret' },
      email,
      poolPassword,
    ).catch((e) => e);
    expect(wrong.name).toBe('NotAuthorizedException');
    expect(wrong.message).toBe(`Unable to verify secret hash for client ${t.backend.clientId}`);
  });

  it('answers PASSWORD_VERIFIER with SALT, SRP_B, SECRET_BLOCK and the internal USER_ID_FOR_SRP', async () => {
    const out = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: t.web.clientId,
        AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: email, SRP_A: 'ab'.repeat(384) },
      }),
    );
    expect(out.ChallengeName).toBe('PASSWORD_VERIFIER');
    const p = out.ChallengeParameters!;
    expect(p.USER_ID_FOR_SRP).toMatch(/^[0-9a-f-]{36}$/);
    expect(p.SALT).toMatch(/^[0-9a-f]+$/);
    expect(p.SRP_B).toMatch(/^[0-9a-f]+$/);
    expect(Buffer.from(p.SECRET_BLOCK!, 'base64').length).toBeGreaterThan(16);
  });

  it('refuses a reused or unknown secret block (the challenge is single-use)', async () => {
    const err = await t.cognito
      .send(
        new RespondToAuthChallengeCommand({
          ClientId: t.web.clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: {
            USERNAME: email,
            PASSWORD_CLAIM_SECRET_BLOCK: Buffer.from('forged').toString('base64'),
            TIMESTAMP: 'Mon Nov 23 02:00:00 UTC 2026',
            PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32).toString('base64'),
          },
        }),
      )
      .catch((e) => e);
    expect(err.name).toBe('NotAuthorizedException');
  });

  it('refuses an SRP_A that is 0 mod N', async () => {
    const err = await t.cognito
      .send(
        new InitiateAuthCommand({
          ClientId: t.web.clientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: { USERNAME: email, SRP_A: '0' },
        }),
      )
      .catch((e) => e);
    expect(err.name).toBe('InvalidParameterException');
  });
});
