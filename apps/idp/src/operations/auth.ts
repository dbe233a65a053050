import type { Ctx } from '../context.ts';
import { askDevice, respondDeviceSrpAuth, verifyDevicePassword } from '../devices/challenge.ts';
import { rememberedSkipsMfa, signInDevice } from '../devices/devices.ts';
import { checkRefreshDevice, deviceForSession, refuseUnknownDevice } from '../devices/sign-in.ts';
import { passwordFailed, passwordPassed, recordAuthEvent } from '../events/auth-events.ts';
import { opaque } from '../ids.ts';
import { mfaChallengeNames, respondMfa, startMfa } from '../mfa/challenge.ts';
import { finishAssertion } from '../mfa/webauthn.ts';
import {
  invalidParameter,
  notAuthorized,
  passwordResetRequired,
  resourceNotFound,
  userNotConfirmed,
} from '../protocol/errors.ts';
import { type Input, str, strMap } from '../protocol/params.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { adminScope, issueNewSession } from '../tokens/issue.ts';
import { findRefreshSession, redeemRefreshToken, rotates } from '../tokens/refresh.ts';
import { postAuthentication, preAuthentication } from '../triggers/authentication.ts';
import { clientMetadataOf } from '../triggers/events.ts';
import { migrateUser } from '../triggers/migration.ts';
import { preTokenGeneration, type TokenSource } from '../triggers/pre-token.ts';
import { setPassword, validateAttributes } from '../users/accounts.ts';
import { challengeLifetimeMs } from '../users/challenges.ts';
import { beginPasswordAttempt, recordSuccess } from '../users/lockout.ts';
import { checkSecretHash, clientById, findUser, hasFlow, missingUserError } from '../users/lookup.ts';
import { passwordMatches } from '../users/passwords.ts';
import { continueAfterPassword, customSignIn, respondCustomChallenge } from './auth-custom.ts';
import { startSrpChallenge, verifySrpChallenge } from './auth-srp.ts';
import { respondSelectChallenge, startUserAuth } from './user-auth.ts';

type Params = Record<string, string>;

export function param(params: Params, name: string): string {
  const v = params[name];
  if (!v) throw invalidParameter(`Missing required parameter ${name}`);
  return v;
}

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

/**
 * The status rules after a right password (the lockout count is already cleared), shared with the
 * managed login (UNCONFIRMED is the caller's): RESET_REQUIRED refuses, a temporary password must not
 * have expired. True when the user must choose a new password first. Every refusal commits.
 */
export async function acceptPassword(ctx: Ctx, user: UserRecord): Promise<boolean> {
  if (user.status === 'RESET_REQUIRED') {
    await ctx.store.commit();
    throw passwordResetRequired();
  }
  if (user.status !== 'FORCE_CHANGE_PASSWORD') return false;
  if (user.temporaryPasswordExpiresAt && ctx.clock() > user.temporaryPasswordExpiresAt) {
    await ctx.store.commit();
    throw notAuthorized('Temporary password has expired and must be reset by an administrator.');
  }
  return true;
}

/**
 * After the password (plain or SRP) checked out: the status rules, then the NEW_PASSWORD_REQUIRED
 * challenge, an MFA challenge (mfa/challenge.ts; skipped once the factor is answered), or a new
 * session's tokens.
 */
export async function completeSignIn(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  admin: boolean,
  via: SignInVia = { source: 'Authentication' },
) {
  if (user.status === 'UNCONFIRMED') {
    await ctx.store.commit();
    throw userNotConfirmed();
  }
  if (await acceptPassword(ctx, user)) {
    const session = opaque(192);
    ctx.challenges.put(session, {
      kind: 'NEW_PASSWORD_REQUIRED',
      poolId: pool.id,
      clientId: client.clientId,
      username: user.username,
      expiresAt: ctx.clock() + challengeLifetimeMs,
      admin,
    });
    await ctx.store.commit();
    const { sub: _sub, ...visible } = { sub: user.sub, ...user.attributes };
    return {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeParameters: {
        USER_ID_FOR_SRP: user.username,
        requiredAttributes: '[]',
        userAttributes: JSON.stringify(visible),
      },
    };
  }
  // A remembered device proves its secret (DEVICE_SRP_AUTH) and, with ChallengeRequiredOnNewDevice,
  // stands in for the MFA step (devices/devices.ts).
  const device = signInDevice(pool, user, via.deviceKey);
  const remembered = device?.remembered === true;
  const skipMfa = via.mfaDone || (remembered && rememberedSkipsMfa(pool));
  const mfa = skipMfa ? undefined : await startMfa(ctx, pool, client, user, admin, false, via.clientMetadata);
  if (mfa) {
    await ctx.store.commit();
    return mfa;
  }
  if (device && remembered && !via.deviceDone) {
    const ask = askDevice(ctx, {
      poolId: pool.id,
      clientId: client.clientId,
      username: user.username,
      deviceKey: device.deviceKey,
      admin,
      mfaDone: skipMfa,
      ...(via.clientMetadata ? { clientMetadata: via.clientMetadata } : {}),
    });
    await ctx.store.commit();
    return ask;
  }
  const result = await issueTokens(ctx, pool, client, user, via);
  await ctx.store.commit();
  return { ChallengeParameters: {}, AuthenticationResult: result };
}

/**
 * How a sign-in reached its tokens, for the triggers: the token source, and RespondToAuthChallenge's
 * ClientMetadata (Cognito passes InitiateAuth's to none of PostAuthentication and PreTokenGeneration).
 */
export interface SignInVia {
  source: Extract<TokenSource, 'Authentication' | 'NewPasswordChallenge'>;
  clientMetadata?: Record<string, string>;
  /** The MFA step is behind us (tokens next). */
  mfaDone?: boolean;
  /** DEVICE_KEY as the client sent it with this step. */
  deviceKey?: string | undefined;
  /** The remembered device has answered DEVICE_PASSWORD_VERIFIER. */
  deviceDone?: boolean;
}

/** PostAuthentication, then PreTokenGeneration, then the new session's tokens. The caller commits. */
export async function issueTokens(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  via: SignInVia,
) {
  await postAuthentication(ctx, pool, client, user, via.clientMetadata);
  const custom = await preTokenGeneration(ctx, pool, client, {
    // A sign-in a remembered device ended (DEVICE_PASSWORD_VERIFIER) is Cognito's own source.
    source: via.deviceDone ? 'AuthenticateDevice' : via.source,
    user,
    scopes: [adminScope],
    clientMetadata: via.clientMetadata,
  });
  const { deviceKey, NewDeviceMetadata } = deviceForSession(
    ctx,
    pool,
    user,
    signInDevice(pool, user, via.deviceKey),
  );
  recordAuthEvent(ctx, pool, user, {
    type: 'SignIn',
    response: 'Pass',
    challenges: [
      ...passwordPassed,
      ...(via.mfaDone && !via.deviceDone ? [{ name: 'Mfa' as const, response: 'Success' as const }] : []),
    ],
    deviceName: signInDevice(pool, user, via.deviceKey)?.name,
  });
  const tokens = issueNewSession(ctx, pool, client, user, undefined, custom, deviceKey);
  return NewDeviceMetadata ? { ...tokens, NewDeviceMetadata } : tokens;
}

/**
 * The password check every password sign-in shares (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and
 * the managed login page): unknown users answer per PreventUserExistenceErrors after the same scrypt
 * check and commit as a wrong password (ADR 0079); the attempt is counted before the check, so a burst
 * of guesses is cut off after five; a right password clears the count. SECRET_HASH is the caller's.
 */
export async function verifyPassword(
  ctx: Ctx,
  client: ClientRecord,
  user: UserRecord | undefined,
  password: string,
): Promise<UserRecord> {
  if (!user) {
    await passwordMatches(ctx, password, undefined);
    await ctx.store.commit();
    throw missingUserError(client);
  }
  if (!user.enabled) throw notAuthorized('User is disabled.');
  beginPasswordAttempt(ctx, user);
  if (!(await passwordMatches(ctx, password, user.passwordHash))) {
    const pool = ctx.store.state.pools[client.userPoolId];
    if (pool)
      recordAuthEvent(ctx, pool, user, { type: 'SignIn', response: 'Fail', challenges: passwordFailed });
    await ctx.store.commit();
    throw notAuthorized();
  }
  recordSuccess(user);
  return user;
}

async function passwordSignIn(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  params: Params,
  admin: boolean,
  clientMetadata?: Record<string, string>,
) {
  const username = param(params, 'USERNAME');
  const password = param(params, 'PASSWORD');
  let found = findUser(pool, username);
  checkSecretHash(client, [username, found?.username], params.SECRET_HASH);
  // An unknown user may come from the old directory (UserMigration_Authentication).
  found ??= await migrateUser(ctx, pool, client, {
    source: 'Authentication',
    username,
    password,
    validationData: clientMetadata,
  });
  await preAuthentication(ctx, pool, client, { user: found, username }, clientMetadata);
  const user = await verifyPassword(ctx, client, found, password);
  return completeSignIn(ctx, pool, client, user, admin, {
    source: 'Authentication',
    deviceKey: params.DEVICE_KEY,
  });
}

async function refreshSignIn(ctx: Ctx, pool: PoolRecord, client: ClientRecord, params: Params) {
  const token = param(params, 'REFRESH_TOKEN');
  if (rotates(client))
    throw invalidParameter(
      'Refresh token rotation is enabled for this client: refresh with GetTokensFromRefreshToken.',
    );
  if (client.clientSecret && !params.SECRET_HASH)
    throw notAuthorized(`Client ${client.clientId} is configured for secret but secret was not received`);
  const found = findRefreshSession(ctx, client, token);
  const user = pool.users[found.session.username];
  checkSecretHash(
    client,
    [params.USERNAME, found.session.username, user?.attributes.email],
    params.SECRET_HASH,
  );
  checkRefreshDevice(pool, found.session, params.DEVICE_KEY);
  return {
    ChallengeParameters: {},
    AuthenticationResult: await redeemRefreshToken(ctx, pool, client, found),
  };
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

async function newPasswordRequired(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  input: Input,
  admin: boolean,
) {
  const responses = strMap(input, 'ChallengeResponses');
  const sessionKey = str(input, 'Session');
  const challenge = ctx.challenges.take(sessionKey);
  if (
    challenge?.kind !== 'NEW_PASSWORD_REQUIRED' ||
    challenge.clientId !== client.clientId ||
    challenge.admin !== admin
  )
    throw notAuthorized('Invalid session for the user, session is expired.');
  const user = pool.users[challenge.username];
  if (!user) throw notAuthorized('Invalid session for the user, session is expired.');
  const username = param(responses, 'USERNAME');
  checkSecretHash(client, [username, user.username, user.attributes.email], responses.SECRET_HASH);
  if (findUser(pool, username) !== user)
    throw notAuthorized('Invalid session for the user, session is expired.');
  const newPassword = param(responses, 'NEW_PASSWORD');
  const attributeUpdates = Object.entries(responses)
    .filter(([k]) => k.startsWith('userAttributes.'))
    .map(([k, v]) => ({ Name: k.slice('userAttributes.'.length), Value: v }))
    .filter((a) => a.Name !== 'email' && a.Name !== 'email_verified');
  try {
    const attrs = validateAttributes(pool, attributeUpdates);
    await setPassword(ctx, pool, user, newPassword, 'CONFIRMED');
    Object.assign(user.attributes, attrs);
  } catch (err) {
    // A rejected password keeps the session usable for another try, as Cognito's does.
    ctx.challenges.put(sessionKey, challenge);
    throw err;
  }
  return completeSignIn(ctx, pool, client, user, admin, {
    source: 'NewPasswordChallenge',
    clientMetadata: clientMetadataOf(input),
    deviceKey: responses.DEVICE_KEY,
  });
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
    const done = verifyDevicePassword(ctx, pool, client, responses, str(input, 'Session'), admin);
    return completeSignIn(ctx, pool, client, done.user, admin, {
      source: 'Authentication',
      clientMetadata: done.challenge.clientMetadata,
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
    return 'next' in outcome
      ? outcome.next
      : completeSignIn(ctx, pool, client, outcome.user, admin, {
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
