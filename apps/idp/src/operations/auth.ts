import type { Ctx } from '../context.ts';
import { respondDeviceSrpAuth, verifyDevicePassword } from '../devices/challenge.ts';
import { refuseUnknownDevice } from '../devices/sign-in.ts';
import { mfaChallengeNames, respondMfa } from '../mfa/challenge.ts';
import { finishAssertion } from '../mfa/webauthn.ts';
import { invalidParameter, resourceNotFound } from '../protocol/errors.ts';
import { type Input, str, strMap } from '../protocol/params.ts';
import type { ClientRecord } from '../store/state.ts';
import { preAuthentication } from '../triggers/authentication.ts';
import { clientMetadataOf } from '../triggers/events.ts';
import { checkSecretHash, clientById, findUser, hasFlow } from '../users/lookup.ts';
import { completeSignIn } from './auth-complete.ts';
import {
  continueAfterMfa,
  continueAfterPassword,
  customSignIn,
  respondCustomChallenge,
} from './auth-custom.ts';
import { newPasswordRequired, passwordSignIn } from './auth-password.ts';
import { startSrpChallenge, verifySrpChallenge } from './auth-srp.ts';
import { refreshSignIn } from './refresh.ts';
import { respondSelectChallenge, startUserAuth } from './user-auth.ts';

// InitiateAuth and RespondToAuthChallenge (and their Admin forms): which flow or challenge runs.

function clientFor(ctx: Ctx, input: Input, admin: boolean) {
  const clientId = str(input, 'ClientId');
  const found = clientById(ctx, clientId);
  if (admin && found.pool.id !== str(input, 'UserPoolId'))
    throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  return found;
}

function requireFlow(client: ClientRecord, flow: string) {
  const ok =
    hasFlow(client, flow) ||
    (flow === 'ADMIN_USER_PASSWORD_AUTH' && client.explicitAuthFlows.includes('ADMIN_NO_SRP_AUTH'));
  if (!ok) throw invalidParameter(`${flow} flow not enabled for this client`);
}

async function initiate(ctx: Ctx, input: Input, admin: boolean) {
  const { client, pool } = clientFor(ctx, input, admin);
  const flow = str(input, 'AuthFlow');
  const params = strMap(input, 'AuthParameters');
  // InitiateAuth's ClientMetadata reaches PreAuthentication and UserMigration as validationData.
  const validationData = clientMetadataOf(input);
  switch (flow) {
    case 'USER_PASSWORD_AUTH':
      if (admin) break;
      requireFlow(client, flow);
      return passwordSignIn(ctx, pool, client, params, admin, validationData);
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH':
      if (!admin) break;
      requireFlow(client, 'ADMIN_USER_PASSWORD_AUTH');
      return passwordSignIn(ctx, pool, client, params, admin, validationData);
    case 'USER_SRP_AUTH':
      requireFlow(client, flow);
      await preAuthentication(
        ctx,
        pool,
        client,
        { user: findUser(pool, params.USERNAME ?? ''), username: params.USERNAME ?? '' },
        validationData,
      );
      return startSrpChallenge(ctx, pool, client, params, admin);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      requireFlow(client, 'REFRESH_TOKEN_AUTH');
      return refreshSignIn(ctx, pool, client, params);
    case 'USER_AUTH':
      requireFlow(client, flow);
      return startUserAuth(ctx, pool, client, params, admin, validationData);
    case 'CUSTOM_AUTH':
      return customSignIn(ctx, pool, client, params, admin);
  }
  throw invalidParameter(`Initiate Auth method not supported: ${flow}`);
}

async function respond(ctx: Ctx, input: Input, admin: boolean) {
  const { client, pool } = clientFor(ctx, input, admin);
  const name = str(input, 'ChallengeName');
  if (name === 'PASSWORD_VERIFIER') {
    const responses = strMap(input, 'ChallengeResponses');
    refuseUnknownDevice(pool, responses);
    const { user, custom } = await verifySrpChallenge(ctx, pool, client, responses, admin);
    if (custom) return continueAfterPassword(ctx, pool, client, user, admin, custom, clientMetadataOf(input));
    return completeSignIn(ctx, pool, client, user, admin, {
      source: 'Authentication',
      clientMetadata: clientMetadataOf(input),
      deviceKey: responses.DEVICE_KEY,
    });
  }
  if (name === 'DEVICE_SRP_AUTH') {
    const responses = strMap(input, 'ChallengeResponses');
    return respondDeviceSrpAuth(ctx, pool, client, responses, str(input, 'Session'), admin);
  }
  if (name === 'DEVICE_PASSWORD_VERIFIER') {
    const responses = strMap(input, 'ChallengeResponses');
    const done = await verifyDevicePassword(ctx, pool, client, responses, str(input, 'Session'), admin);
    return completeSignIn(ctx, pool, client, done.user, admin, {
      source: 'Authentication',
      // This call's ClientMetadata, as for every other RespondToAuthChallenge step.
      clientMetadata: clientMetadataOf(input),
      deviceKey: done.device.deviceKey,
      mfaDone: done.challenge.mfaDone,
      deviceDone: true,
    });
  }
  if (name === 'NEW_PASSWORD_REQUIRED') return newPasswordRequired(ctx, pool, client, input, admin);
  if (name === 'CUSTOM_CHALLENGE') return respondCustomChallenge(ctx, pool, client, input, admin);
  if (name === 'WEB_AUTHN') {
    const responses = strMap(input, 'ChallengeResponses');
    const user = await finishAssertion(ctx, pool, client, responses, str(input, 'Session'), admin);
    checkSecretHash(
      client,
      [responses.USERNAME, user.username, user.attributes.email],
      responses.SECRET_HASH,
    );
    return completeSignIn(ctx, pool, client, user, admin, {
      source: 'Authentication',
      clientMetadata: clientMetadataOf(input),
      mfaDone: true,
    });
  }
  if (name === 'SELECT_CHALLENGE') {
    const responses = strMap(input, 'ChallengeResponses');
    return respondSelectChallenge(
      ctx,
      pool,
      client,
      responses,
      str(input, 'Session'),
      admin,
      clientMetadataOf(input),
    );
  }
  if (mfaChallengeNames.has(name)) {
    const responses = strMap(input, 'ChallengeResponses');
    const clientMetadata = clientMetadataOf(input);
    const outcome = await respondMfa(
      ctx,
      pool,
      client,
      name,
      responses,
      str(input, 'Session'),
      admin,
      false,
      clientMetadata,
    );
    if ('next' in outcome) return outcome.next;
    if (outcome.custom)
      return continueAfterMfa(
        ctx,
        pool,
        client,
        outcome.user,
        admin,
        { ...outcome, custom: outcome.custom },
        clientMetadata,
      );
    return completeSignIn(ctx, pool, client, outcome.user, admin, {
      source: 'Authentication',
      clientMetadata,
      mfaDone: true,
      deviceKey: responses.DEVICE_KEY,
    });
  }
  throw invalidParameter(`Challenge ${name} is not supported by the local IdP.`);
}

export const authOperations = {
  InitiateAuth: (ctx: Ctx, input: Input) => initiate(ctx, input, false),
  AdminInitiateAuth: (ctx: Ctx, input: Input) => initiate(ctx, input, true),
  RespondToAuthChallenge: (ctx: Ctx, input: Input) => respond(ctx, input, false),
  AdminRespondToAuthChallenge: (ctx: Ctx, input: Input) => respond(ctx, input, true),
};
