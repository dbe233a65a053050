import {
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimsOf, uniqueEmail } from '../helpers.ts';
import {
  confirmedUser,
  type Event,
  errorOf,
  startTriggerIdp,
  type TriggerIdp,
  verifyPrivateAnswer,
} from './harness.ts';

let t: TriggerIdp;
beforeAll(async () => {
  t = await startTriggerIdp();
});
afterAll(() => t.close());
beforeEach(async () => {
  t.reset();
  await t.configure([
    'DefineAuthChallenge',
    'CreateAuthChallenge',
    'VerifyAuthChallengeResponse',
    'PreAuthentication',
  ]);
  // A one-time code challenge: three tries, then the sign-in fails.
  t.on('DefineAuthChallenge', (e: Event) => {
    const s = e.request.session as Array<{ challengeResult: boolean }>;
    const response =
      s.length > 0 && s.at(-1)!.challengeResult
        ? { issueTokens: true, failAuthentication: false }
        : s.length >= 3
          ? { issueTokens: false, failAuthentication: true }
          : { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false };
    return { ...e, response };
  });
  t.on('CreateAuthChallenge', (e: Event) => ({
    ...e,
    response: {
      publicChallengeParameters: { hint: 'the magic word' },
      privateChallengeParameters: { answer: `open-sesame-${e.request.session.length}` },
      challengeMetadata: `CODE-${e.request.session.length}`,
    },
  }));
  t.on('VerifyAuthChallengeResponse', verifyPrivateAnswer);
});

const user = () => confirmedUser(t, 'custom');

const start = (email: string) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: t.clientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: email },
    }),
  );
const answer = (email: string, Session: string | undefined, ANSWER: string) =>
  t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: t.clientId,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session,
      ChallengeResponses: { USERNAME: email, ANSWER },
      ClientMetadata: { attempt: ANSWER },
    }),
  );

describe('custom auth (CUSTOM_AUTH with Define/Create/VerifyAuthChallengeResponse, AWS SDK)', () => {
  it('a wrong answer, then the right one: tokens; each trigger sees the session so far', async () => {
    const email = await user();
    const first = await start(email);
    expect(first.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(first.ChallengeParameters).toEqual({ hint: 'the magic word', USERNAME: expect.any(String) });
    const wrong = await answer(email, first.Session, 'guess');
    expect(wrong.ChallengeName).toBe('CUSTOM_CHALLENGE');
    const done = await answer(email, wrong.Session, 'open-sesame-1');
    expect(claimsOf(done.AuthenticationResult!.IdToken!).email).toBe(email);
    expect(t.events.DefineAuthChallenge.map((e) => e.request.session)).toEqual([
      [],
      [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'CODE-0' }],
      [
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'CODE-0' },
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'CODE-1' },
      ],
    ]);
    expect(t.events.VerifyAuthChallengeResponse[1]).toMatchObject({
      triggerSource: 'VerifyAuthChallengeResponse_Authentication',
      request: {
        challengeAnswer: 'open-sesame-1',
        privateChallengeParameters: { answer: 'open-sesame-1' },
        clientMetadata: { attempt: 'open-sesame-1' },
      },
    });
    expect(t.events.CreateAuthChallenge[0]).toMatchObject({
      triggerSource: 'CreateAuthChallenge_Authentication',
      request: { challengeName: 'CUSTOM_CHALLENGE' },
    });
    // PreAuthentication does not run for custom auth.
    expect(t.events.PreAuthentication).toHaveLength(0);
  });

  it('three wrong answers: failAuthentication ends it with NotAuthorizedException; a used Session is refused', async () => {
    const email = await user();
    let session = (await start(email)).Session;
    for (const guess of ['a', 'b']) session = (await answer(email, session, guess)).Session;
    const err = await errorOf(answer(email, session, 'c'));
    expect(err?.name).toBe('NotAuthorizedException');
    expect(err?.message).toBe('Incorrect username or password.');
    const reused = await errorOf(answer(email, session, 'open-sesame-2'));
    expect(reused?.message).toBe('Invalid session for the user, session is expired.');
  });

  it('an unknown user runs Define/Create/Verify with userNotFound: true (existence errors hidden); a right answer still fails', async () => {
    const nobody = uniqueEmail('nobody');
    const first = await start(nobody);
    expect(first.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(first.ChallengeParameters).toEqual({ hint: 'the magic word', USERNAME: nobody });
    const err = await errorOf(answer(nobody, first.Session, 'open-sesame-0'));
    expect(err?.name).toBe('NotAuthorizedException');
    expect(err?.message).toBe('Incorrect username or password.');
    for (const trigger of [
      'DefineAuthChallenge',
      'CreateAuthChallenge',
      'VerifyAuthChallengeResponse',
    ] as const)
      expect(t.events[trigger][0], trigger).toMatchObject({
        userName: nobody,
        request: { userNotFound: true, userAttributes: {} },
      });
    expect(t.events.VerifyAuthChallengeResponse[0].request.challengeAnswer).toBe('open-sesame-0');
    expect(t.events.DefineAuthChallenge.at(-1).request.session).toEqual([
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'CODE-0' },
    ]);
  });

  it('a Define answer naming a challenge it cannot have here is InvalidLambdaResponseException', async () => {
    t.on('DefineAuthChallenge', (e: Event) => ({
      ...e,
      // PASSWORD_VERIFIER needs CUSTOM_WITH_SRP's SRP_A, which this sign-in did not send.
      response: { challengeName: 'PASSWORD_VERIFIER', issueTokens: false, failAuthentication: false },
    }));
    const err = await errorOf(start(await user()));
    expect(err?.name).toBe('InvalidLambdaResponseException');
    expect(t.events.CreateAuthChallenge).toHaveLength(0);
  });

  it('without the Define/Create triggers CUSTOM_AUTH is refused as Cognito refuses it', async () => {
    await t.configure([]);
    const err = await errorOf(start(await user()));
    expect(err?.name).toBe('InvalidParameterException');
    expect(err?.message).toBe('Custom auth lambda trigger is not configured for the user pool.');
  });
});
