import type { Ctx } from '../context.ts';
import { passwordFailed, passwordPassed, recordAuthEvent } from '../events/auth-events.ts';
import { settingsOf } from '../pools/describe.ts';
import { codeMismatch, notAuthorized, userNotFound } from '../protocol/errors.ts';
import { type Input, optBool, optStr, str } from '../protocol/params.ts';
import type { PoolRecord } from '../store/state.ts';
import { authenticateAccessToken } from '../tokens/access.ts';
import { clientMetadataOf } from '../triggers/events.ts';
import { migrateUser } from '../triggers/migration.ts';
import { postConfirmation } from '../triggers/sign-up.ts';
import { setPassword } from '../users/accounts.ts';
import { mailCode } from '../users/code-mail.ts';
import { checkCode } from '../users/codes.ts';
import { decoyCodeWork } from '../users/decoy.ts';
import { beginPasswordAttempt, recordSuccess } from '../users/lockout.ts';
import { adminUser, checkSecretHash, clientById, findUser, poolById } from '../users/lookup.ts';
import { enforcePasswordPolicy, passwordMatches } from '../users/passwords.ts';
import { recoveryMedium } from '../users/recovery.ts';
import { decoyDelivery } from './sign-up.ts';

/** AccountRecoverySetting admin_only: users cannot reset their own password (ForgotPassword). */
const adminOnlyRecovery = (pool: PoolRecord) =>
  settingsOf(pool).AccountRecoverySetting?.RecoveryMechanisms?.some((m) => m.Name === 'admin_only') ?? false;

export const passwordOperations = {
  async ForgotPassword(ctx: Ctx, input: Input) {
    const { client, pool } = clientById(ctx, str(input, 'ClientId'));
    const username = str(input, 'Username');
    let user = findUser(pool, username);
    checkSecretHash(client, [username, user?.username], optStr(input, 'SecretHash'));
    // Before the user check: known and unknown users get the same answer.
    if (adminOnlyRecovery(pool)) throw notAuthorized('Contact administrator to reset password.');
    user ??= await migrateUser(ctx, pool, client, {
      source: 'ForgotPassword',
      username,
      clientMetadata: clientMetadataOf(input),
    });
    if (!user) {
      const CodeDeliveryDetails = decoyDelivery(client, username);
      await decoyCodeWork(ctx);
      return { CodeDeliveryDetails };
    }
    if (!user.enabled) throw notAuthorized('User is disabled.');
    if (user.status === 'FORCE_CHANGE_PASSWORD')
      throw notAuthorized('User password cannot be reset in the current state.');
    const medium = recoveryMedium(pool, user);
    recordAuthEvent(ctx, pool, user, { type: 'ForgotPassword', response: 'Pass', challenges: [] });
    try {
      const delivery = await mailCode(
        ctx,
        pool,
        user,
        'reset',
        { source: 'ForgotPassword', clientId: client.clientId, clientMetadata: clientMetadataOf(input) },
        medium,
      );
      return { CodeDeliveryDetails: delivery };
    } finally {
      await ctx.store.commit();
    }
  },

  async ConfirmForgotPassword(ctx: Ctx, input: Input) {
    const { client, pool } = clientById(ctx, str(input, 'ClientId'));
    const username = str(input, 'Username');
    const code = str(input, 'ConfirmationCode');
    const password = str(input, 'Password');
    const user = findUser(pool, username);
    checkSecretHash(client, [username, user?.username], optStr(input, 'SecretHash'));
    // Before the user check, so a weak password answers the same for known and unknown users.
    enforcePasswordPolicy(pool.passwordPolicy, password);
    if (!user) {
      if (client.preventUserExistenceErrors !== 'ENABLED')
        throw userNotFound('Username/client id combination not found.');
      await ctx.store.commit();
      throw codeMismatch();
    }
    try {
      checkCode(ctx, user.resetCode, code);
    } finally {
      await ctx.store.commit();
    }
    user.resetCode = undefined;
    await setPassword(ctx, pool, user, password, 'CONFIRMED');
    await ctx.store.commit();
    await postConfirmation(ctx, pool, user, {
      source: 'ConfirmForgotPassword',
      clientId: client.clientId,
      clientMetadata: clientMetadataOf(input),
    });
    return {};
  },

  async ChangePassword(ctx: Ctx, input: Input) {
    const { pool, user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    const previous = str(input, 'PreviousPassword');
    const proposed = str(input, 'ProposedPassword');
    enforcePasswordPolicy(pool.passwordPolicy, proposed);
    // Counted before the check, so a burst of guesses is cut off after five (ADR 0079).
    beginPasswordAttempt(ctx, user);
    if (!(await passwordMatches(ctx, previous, user.passwordHash))) {
      recordAuthEvent(ctx, pool, user, {
        type: 'PasswordChange',
        response: 'Fail',
        challenges: passwordFailed,
      });
      await ctx.store.commit();
      throw notAuthorized();
    }
    recordSuccess(user);
    await setPassword(ctx, pool, user, proposed, 'CONFIRMED');
    recordAuthEvent(ctx, pool, user, {
      type: 'PasswordChange',
      response: 'Pass',
      challenges: passwordPassed,
    });
    await ctx.store.commit();
    return {};
  },

  async AdminSetUserPassword(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const user = adminUser(pool, str(input, 'Username'));
    const permanent = optBool(input, 'Permanent') ?? false;
    await setPassword(
      ctx,
      pool,
      user,
      str(input, 'Password'),
      permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD',
    );
    await ctx.store.commit();
    return {};
  },

  async AdminResetUserPassword(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const user = adminUser(pool, str(input, 'Username'));
    const medium = recoveryMedium(pool, user);
    user.status = 'RESET_REQUIRED';
    user.modifiedAt = ctx.clock();
    try {
      await mailCode(
        ctx,
        pool,
        user,
        'reset',
        { source: 'ForgotPassword', clientMetadata: clientMetadataOf(input) },
        medium,
      );
    } finally {
      await ctx.store.commit();
    }
    return {};
  },
};
