import type { Ctx } from '../context.ts';
import { askDevice } from '../devices/challenge.ts';
import { rememberedSkipsMfa, signInDevice, tracksDevices } from '../devices/devices.ts';
import { deviceForSession } from '../devices/sign-in.ts';
import { passwordPassed, recordAuthEvent } from '../events/auth-events.ts';
import { opaque } from '../ids.ts';
import { startMfa } from '../mfa/challenge.ts';
import { notAuthorized, passwordResetRequired, userNotConfirmed } from '../protocol/errors.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { adminScope, issueNewSession } from '../tokens/issue.ts';
import { postAuthentication } from '../triggers/authentication.ts';
import { preTokenGeneration, type TokenSource } from '../triggers/pre-token.ts';
import { challengeLifetimeMs } from '../users/challenges.ts';

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
  const known = signInDevice(pool, user, via.deviceKey);
  await postAuthentication(ctx, pool, client, user, via.clientMetadata, tracksDevices(pool) && !known);
  const custom = await preTokenGeneration(ctx, pool, client, {
    // A sign-in a remembered device ended (DEVICE_PASSWORD_VERIFIER) is Cognito's own source.
    source: via.deviceDone ? 'AuthenticateDevice' : via.source,
    user,
    scopes: [adminScope],
    clientMetadata: via.clientMetadata,
  });
  const { deviceKey, NewDeviceMetadata } = deviceForSession(ctx, pool, user, known);
  recordAuthEvent(ctx, pool, user, {
    type: 'SignIn',
    response: 'Pass',
    challenges: [
      ...passwordPassed,
      ...(via.mfaDone && !via.deviceDone ? [{ name: 'Mfa' as const, response: 'Success' as const }] : []),
    ],
    deviceName: signInDevice(pool, user, via.deviceKey)?.name,
  });
  const tokens = await issueNewSession(ctx, pool, client, user, undefined, custom, deviceKey);
  return NewDeviceMetadata ? { ...tokens, NewDeviceMetadata } : tokens;
}
