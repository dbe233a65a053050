import type { Ctx } from '../context.ts';
import { passwordFailed, recordAuthEvent } from '../events/auth-events.ts';
import { notAuthorized } from '../protocol/errors.ts';
import { type Input, str, strMap } from '../protocol/params.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { preAuthentication } from '../triggers/authentication.ts';
import { clientMetadataOf } from '../triggers/events.ts';
import { migrateUser } from '../triggers/migration.ts';
import { setPassword, validateAttributes } from '../users/accounts.ts';
import { beginPasswordAttempt, recordSuccess } from '../users/lockout.ts';
import { checkSecretHash, findUser, missingUserError } from '../users/lookup.ts';
import { passwordMatches } from '../users/passwords.ts';
import { completeSignIn } from './auth-complete.ts';
import { need } from './auth-srp.ts';

type Params = Record<string, string>;

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

/** USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH: UserMigration for an unknown name, PreAuthentication, the password. */
export async function passwordSignIn(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  params: Params,
  admin: boolean,
  clientMetadata?: Record<string, string>,
) {
  const username = need(params, 'USERNAME');
  const password = need(params, 'PASSWORD');
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

/** RespondToAuthChallenge NEW_PASSWORD_REQUIRED: the new password (and attributes), then the rest of the sign-in. */
export async function newPasswordRequired(
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
  const username = need(responses, 'USERNAME');
  checkSecretHash(client, [username, user.username, user.attributes.email], responses.SECRET_HASH);
  if (findUser(pool, username) !== user)
    throw notAuthorized('Invalid session for the user, session is expired.');
  const newPassword = need(responses, 'NEW_PASSWORD');
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
