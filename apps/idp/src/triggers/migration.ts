import type { Ctx } from '../context.ts';
import { invalidParameter } from '../protocol/errors.ts';
import type { ClientRecord, PoolRecord, UserRecord, UserStatus } from '../store/state.ts';
import { createUser, validateAttributes } from '../users/accounts.ts';
import { generateTemporaryPassword } from '../users/passwords.ts';
import { withMetadata } from './events.ts';
import { hasTrigger, invalidLambdaResponse, invokeTrigger } from './invoke.ts';

/**
 * UserMigration for a username the pool does not know: with a password (USER_PASSWORD_AUTH and the
 * managed login; SRP never sends one) the function vouches for it and the user is created with that
 * password; for ForgotPassword the user is created RESET_REQUIRED and gets a reset code. Returns
 * undefined when there is no trigger or the function answers no user.
 *
 * As Cognito's migrate user page says: InitiateAuth's ClientMetadata arrives as `validationData`,
 * ForgotPassword's as `clientMetadata`; the pool's password policy is not applied to the migrated
 * password (the function may answer RESET_REQUIRED for a weak one); `forceAliasCreation` moves a
 * verified alias another user holds, else that is AliasExistsException and nobody is created.
 */
export async function migrateUser(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  call: {
    source: 'Authentication' | 'ForgotPassword';
    username: string;
    password?: string;
    validationData?: Record<string, string>;
    clientMetadata?: Record<string, string>;
  },
): Promise<UserRecord | undefined> {
  if (!hasTrigger(pool, 'UserMigration')) return undefined;
  const r = await invokeTrigger(ctx, pool, 'UserMigration', {
    triggerSource: `UserMigration_${call.source}`,
    userName: call.username,
    clientId: client.clientId,
    request: withMetadata(
      {
        ...(call.password !== undefined ? { password: call.password } : {}),
        validationData: call.validationData ?? null,
        userAttributes: null,
      },
      call.clientMetadata,
    ),
    response: {
      userAttributes: null,
      finalUserStatus: null,
      messageAction: null,
      desiredDeliveryMediums: null,
      forceAliasCreation: null,
      enableSMSMFA: null,
    },
    validate: (res) => {
      const attrs = res.userAttributes;
      if (attrs !== null && attrs !== undefined && (typeof attrs !== 'object' || Array.isArray(attrs)))
        throw invalidLambdaResponse();
      const status = res.finalUserStatus;
      if (status != null && status !== 'CONFIRMED' && status !== 'RESET_REQUIRED')
        throw invalidLambdaResponse();
      const force = res.forceAliasCreation;
      if (force != null && typeof force !== 'boolean') throw invalidLambdaResponse();
    },
  });
  const attrs = r?.userAttributes as Record<string, unknown> | null | undefined;
  if (!attrs) return undefined;
  const list = Object.entries(attrs)
    .filter(([name]) => name !== 'sub' && name !== 'username')
    .map(([Name, Value]) => ({ Name, Value: String(Value) }));
  const attributes = validateAttributes(pool, list);
  // Authentication: the password just proven; ForgotPassword: none usable until the reset.
  const status: UserStatus =
    call.source === 'ForgotPassword'
      ? 'RESET_REQUIRED'
      : ((r?.finalUserStatus as UserStatus | null) ?? 'CONFIRMED');
  const password = call.password ?? generateTemporaryPassword(pool.passwordPolicy);
  if (!call.password && call.source === 'Authentication')
    throw invalidParameter('UserMigration needs the password.');
  return createUser(ctx, pool, {
    username: call.username,
    password,
    attributes,
    status,
    forceAliasCreation: r?.forceAliasCreation === true,
    passwordPolicy: false,
  });
}
