import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AdminSetUserMFAPreferenceCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf } from '../helpers.ts';
import { setMfa } from '../mfa-helpers.ts';
import {
  confirmedUser,
  type Event,
  password,
  startTriggerIdp,
  type TriggerIdp,
  verifyPrivateAnswer,
} from './harness.ts';

const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
const boto3Missing = probe.status !== 0;
if (boto3Missing) console.warn(`skipping the boto3 trigger test: ${probe.stderr || probe.error}`);

let t: TriggerIdp;
beforeAll(async () => {
  if (boto3Missing) return;
  t = await startTriggerIdp();
  await t.configure(
    ['DefineAuthChallenge', 'CreateAuthChallenge', 'VerifyAuthChallengeResponse', 'CustomMessage'],
    { developerEmail: true },
  );
  await setMfa(t, 'OPTIONAL', { email: true }, t.poolId);
  // One custom challenge: a right answer issues tokens, a wrong one ends the sign-in.
  t.on('DefineAuthChallenge', (e: Event) => {
    const last = (e.request.session as Array<{ challengeResult: boolean }>).at(-1);
    const response = !last
      ? { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false }
      : { issueTokens: last.challengeResult, failAuthentication: !last.challengeResult };
    return { ...e, response };
  });
  t.on('CreateAuthChallenge', (e: Event) => ({
    ...e,
    response: {
      publicChallengeParameters: { hint: 'the magic word' },
      privateChallengeParameters: { answer: 'open-sesame' },
      challengeMetadata: 'MAGIC-WORD',
    },
  }));
  t.on('VerifyAuthChallengeResponse', verifyPrivateAnswer);
  t.on('CustomMessage', (e: Event) => ({
    ...e,
    response: {
      ...e.response,
      emailSubject: `[Example] ${e.triggerSource}`,
      emailMessage: `<p>Your boto3 sign-in code: <b>${e.request.codeParameter}</b></p>`,
    },
  }));
});
afterAll(() => t?.close());

/** Runs the fixture against the trigger IdP (asynchronously: the IdP answers from this very process). */
async function runFixture(env: Record<string, string>) {
  const script = join(import.meta.dirname, '..', 'fixtures', 'boto3_triggers.py');
  const run = await promisify(execFile)('python3', [script], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      IDP_URL: t.idp.url,
      CLIENT_ID: t.clientId,
      PASSWORD: password,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      ...env,
    },
  });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout);
}

describe.skipIf(boto3Missing)(
  'boto3 (unchanged, endpoint_url): custom auth and CustomMessage_Authentication',
  () => {
    it('a custom challenge passed and failed; an e-mail MFA code mailed as the CustomMessage function wrote it', async () => {
      const customUser = await confirmedUser(t, 'boto3-custom');
      const mfaUser = await confirmedUser(t, 'boto3-mfa', [{ Name: 'email_verified', Value: 'true' }]);
      await t.cognito.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: t.poolId,
          Username: mfaUser,
          EmailMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      );
      const out = await runFixture({ CUSTOM_USER: customUser, MFA_USER: mfaUser });

      expect(out.customChallenge).toBe('CUSTOM_CHALLENGE');
      expect(out.customParameters).toEqual({ hint: 'the magic word', USERNAME: expect.any(String) });
      expect(claimsOf(out.customAccessToken).username).toBe(out.customParameters.USERNAME);
      expect(out.customFailed).toBe('NotAuthorizedException: Incorrect username or password.');
      const verified = t.events.VerifyAuthChallengeResponse;
      expect(verified.map((e) => e.request.challengeAnswer)).toEqual(['open-sesame', 'guess']);
      expect(verified[1]).toMatchObject({
        triggerSource: 'VerifyAuthChallengeResponse_Authentication',
        request: {
          privateChallengeParameters: { answer: 'open-sesame' },
          clientMetadata: { client: 'boto3' },
          userAttributes: { email: customUser },
        },
      });
      // The failed sign-in's last Define turn saw the wrong answer.
      expect(t.events.DefineAuthChallenge.at(-1).request.session).toEqual([
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'MAGIC-WORD' },
      ]);

      expect(out.mfaChallenge).toBe('EMAIL_OTP');
      expect(out.mfaDelivery).toBe('EMAIL');
      expect(t.events.CustomMessage).toHaveLength(1);
      expect(t.events.CustomMessage[0]).toMatchObject({
        triggerSource: 'CustomMessage_Authentication',
        callerContext: { clientId: t.clientId },
        request: { codeParameter: '{####}', userAttributes: { email: mfaUser } },
      });
      expect(out.mail.code).toMatch(/^\d{6}$/);
      expect(out.mail.subject).toBe('[Example] CustomMessage_Authentication');
      expect(out.mail.body).toBe(`Your boto3 sign-in code: ${out.mail.code}`);
      expect(claimsOf(out.mfaAccessToken).username).toBe(t.events.CustomMessage[0].userName);
    });
  },
);
