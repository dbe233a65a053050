import { randomBytes } from 'node:crypto';
import type { Ctx } from '../context.ts';
import { opaque } from '../ids.ts';
import { need } from '../operations/auth-srp.ts';
import { notAuthorized } from '../protocol/errors.ts';
import type { ClientRecord, DeviceRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { challengeLifetimeMs } from '../users/challenges.ts';
import { checkSecretHash, findUser } from '../users/lookup.ts';
import { checkClientPublic, type ServerSession, startSrp, verifyDeviceSrpClaim } from '../users/srp.ts';
import { noSuchDevice, trackedDevice } from './devices.ts';

/**
 * A remembered device proving its secret after the password: DEVICE_SRP_AUTH (the client sends SRP_A)
 * then DEVICE_PASSWORD_VERIFIER (its claim), as amazon-cognito-identity-js's getDeviceResponse and
 * Amplify's handleDeviceSRPAuth drive it. Both steps live in the challenge store under the Session.
 */
export interface DeviceChallenge {
  kind: 'DEVICE_SRP_AUTH' | 'DEVICE_PASSWORD_VERIFIER';
  poolId: string;
  clientId: string;
  username: string;
  deviceKey: string;
  admin: boolean;
  expiresAt: number;
  /** Whether the sign-in's MFA step is behind it, carried to the tokens. */
  mfaDone: boolean;
  /** DEVICE_PASSWORD_VERIFIER: the SRP exchange in progress. */
  srp?: { AHex: string; serverSession: ServerSession; secretBlock: string };
}

type Params = Record<string, string>;

const expired = () => notAuthorized('Invalid session for the user, session is expired.');

/** Asks a remembered device to authenticate; the caller commits. */
export function askDevice(
  ctx: Ctx,
  who: Pick<DeviceChallenge, 'poolId' | 'clientId' | 'username' | 'deviceKey' | 'admin' | 'mfaDone'>,
) {
  const session = opaque(192);
  ctx.challenges.put(session, {
    kind: 'DEVICE_SRP_AUTH',
    ...who,
    expiresAt: ctx.clock() + challengeLifetimeMs,
  });
  return { ChallengeName: 'DEVICE_SRP_AUTH', Session: session, ChallengeParameters: {} };
}

function takeDeviceChallenge(
  ctx: Ctx,
  kind: DeviceChallenge['kind'],
  client: ClientRecord,
  session: string,
  admin: boolean,
): DeviceChallenge {
  const c = ctx.challenges.take(session);
  if (c?.kind !== kind || c.clientId !== client.clientId || c.admin !== admin) throw expired();
  return c;
}

/** The user and device a device challenge is about, checked against what the client sent. */
function subject(pool: PoolRecord, client: ClientRecord, c: DeviceChallenge, responses: Params) {
  const user = pool.users[c.username];
  if (!user) throw expired();
  const username = need(responses, 'USERNAME');
  checkSecretHash(client, [username, user.username, user.attributes.email], responses.SECRET_HASH);
  if (findUser(pool, username) !== user) throw expired();
  if (need(responses, 'DEVICE_KEY') !== c.deviceKey) throw noSuchDevice();
  return { user, device: trackedDevice(user, c.deviceKey) };
}

/** DEVICE_SRP_AUTH answered with SRP_A: DEVICE_PASSWORD_VERIFIER with the device's SALT and SRP_B. */
export async function respondDeviceSrpAuth(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  responses: Params,
  session: string,
  admin: boolean,
) {
  const c = takeDeviceChallenge(ctx, 'DEVICE_SRP_AUTH', client, session, admin);
  const { user, device } = subject(pool, client, c, responses);
  const AHex = need(responses, 'SRP_A');
  checkClientPublic(AHex);
  const serverSession = await startSrp(ctx, device.srp!.verifierHex);
  const secretBlock = randomBytes(128).toString('base64');
  const next = opaque(192);
  ctx.challenges.put(next, {
    ...c,
    kind: 'DEVICE_PASSWORD_VERIFIER',
    expiresAt: ctx.clock() + challengeLifetimeMs,
    srp: { AHex, serverSession, secretBlock },
  });
  return {
    ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
    Session: next,
    ChallengeParameters: {
      SALT: device.srp!.saltHex,
      SECRET_BLOCK: secretBlock,
      SRP_B: serverSession.B,
      USERNAME: user.username,
    },
  };
}

/** DEVICE_PASSWORD_VERIFIER: the device's claim; returns who signed in on which device. */
export async function verifyDevicePassword(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  responses: Params,
  session: string,
  admin: boolean,
): Promise<{ user: UserRecord; device: DeviceRecord; challenge: DeviceChallenge }> {
  const c = takeDeviceChallenge(ctx, 'DEVICE_PASSWORD_VERIFIER', client, session, admin);
  const { user, device } = subject(pool, client, c, responses);
  const secretBlock = need(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  if (!c.srp || secretBlock !== c.srp.secretBlock) throw expired();
  const ok = await verifyDeviceSrpClaim(ctx, {
    deviceGroupKey: device.deviceGroupKey,
    deviceKey: device.deviceKey,
    verifierHex: device.srp!.verifierHex,
    AHex: c.srp.AHex,
    serverSession: c.srp.serverSession,
    secretBlockB64: secretBlock,
    timestamp: need(responses, 'TIMESTAMP'),
    signatureB64: need(responses, 'PASSWORD_CLAIM_SIGNATURE'),
  });
  if (!ok) throw notAuthorized('Incorrect username or password.');
  return { user, device, challenge: c };
}
