import type { Ctx } from '../context.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { userAttributesOf, withMetadata } from './events.ts';
import { invokeTrigger } from './invoke.ts';

/**
 * PreAuthentication when a sign-in starts (password, SRP, managed login; not refresh or custom auth).
 * InitiateAuth's ClientMetadata arrives as `validationData`. For an unknown user it runs only when
 * the client hides existence errors, with `userNotFound: true` (Cognito's rule). Throwing denies.
 */
export async function preAuthentication(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  who: { user?: UserRecord; username: string },
  validationData?: Record<string, string>,
): Promise<void> {
  if (!who.user && client.preventUserExistenceErrors !== 'ENABLED') return;
  await invokeTrigger(ctx, pool, 'PreAuthentication', {
    triggerSource: 'PreAuthentication_Authentication',
    userName: who.user?.username ?? who.username,
    clientId: client.clientId,
    request: {
      userAttributes: who.user ? userAttributesOf(who.user) : {},
      validationData: validationData ?? null,
      ...(who.user ? {} : { userNotFound: true }),
    },
  });
}

/**
 * PostAuthentication once the user has proven who they are, before tokens: throwing fails the sign-in.
 * `newDeviceUsed` is true when the pool tracks devices and this sign-in came from none it knows (it is
 * about to get NewDeviceMetadata); false otherwise, as when the pool does not track devices.
 */
export async function postAuthentication(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  clientMetadata?: Record<string, string>,
  newDeviceUsed = false,
): Promise<void> {
  await invokeTrigger(ctx, pool, 'PostAuthentication', {
    triggerSource: 'PostAuthentication_Authentication',
    userName: user.username,
    clientId: client.clientId,
    request: withMetadata({ userAttributes: userAttributesOf(user), newDeviceUsed }, clientMetadata),
  });
}
