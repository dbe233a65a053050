import type { Ctx } from '../context.ts';
import { invitationMail, invitationText } from '../mail/templates.ts';
import { mfaSettingsOf } from '../mfa/settings.ts';
import { invalidParameter, notAuthorized, usernameExists } from '../protocol/errors.ts';
import {
  type Input,
  optBool,
  optStr,
  optStrList,
  attributeList as readAttributes,
  str,
} from '../protocol/params.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { revokeUserSessions } from '../tokens/issue.ts';
import { deliverMessage } from '../triggers/custom-message.ts';
import { clientMetadataOf, validationDataOf } from '../triggers/events.ts';
import { postConfirmation, preSignUp } from '../triggers/sign-up.ts';
import { createUser, setPassword, validateAttributes } from '../users/accounts.ts';
import { adminUser, findUser, poolById } from '../users/lookup.ts';
import { enforcePasswordPolicy, generateTemporaryPassword } from '../users/passwords.ts';
import { attributeList, epoch, userType } from '../users/shape.ts';
import { applyAttributeUpdates } from './users.ts';

/**
 * The invitation (CustomMessage_AdminCreateUser: `{username}` and `{####}`, the temporary password),
 * by each of DesiredDeliveryMediums the user has an address for: EMAIL to the e-mail, SMS as a "text"
 * to the phone number (the dev mailbox's kind `sms`).
 */
async function sendInvitation(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  invite: { login: string; password: string; mediums: string[]; clientMetadata?: Record<string, string> },
) {
  const { login, password, clientMetadata } = invite;
  const email = user.attributes.email;
  const phone = user.attributes.phone_number;
  const common = { source: 'AdminCreateUser', user, code: password, login, clientMetadata } as const;
  if (invite.mediums.includes('EMAIL') && email)
    await deliverMessage(ctx, pool, {
      ...common,
      to: email,
      kind: 'invitation',
      ...invitationMail(pool, login),
    });
  if (invite.mediums.includes('SMS') && phone)
    await deliverMessage(ctx, pool, { ...common, to: phone, kind: 'sms', ...invitationText(pool, login) });
}

export const adminUserOperations = {
  async AdminCreateUser(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const username = str(input, 'Username');
    const action = optStr(input, 'MessageAction');
    if (action !== undefined && action !== 'SUPPRESS' && action !== 'RESEND')
      throw invalidParameter('MessageAction must be SUPPRESS or RESEND');
    const mediums = optStrList(input, 'DesiredDeliveryMediums') ?? ['EMAIL'];
    if (mediums.some((m) => m !== 'EMAIL' && m !== 'SMS'))
      throw invalidParameter('Invalid DesiredDeliveryMediums');
    const password = optStr(input, 'TemporaryPassword') ?? generateTemporaryPassword(pool.passwordPolicy);
    const clientMetadata = clientMetadataOf(input);
    if (action === 'RESEND') {
      const user = adminUser(pool, username);
      if (user.status !== 'FORCE_CHANGE_PASSWORD') throw unsupportedResend();
      await setPassword(ctx, pool, user, password, 'FORCE_CHANGE_PASSWORD');
      try {
        await sendInvitation(ctx, pool, user, { login: username, password, mediums, clientMetadata });
      } finally {
        await ctx.store.commit();
      }
      return { User: userType(user) };
    }
    if (findUser(pool, username)) throw usernameExists('User account already exists');
    enforcePasswordPolicy(pool.passwordPolicy, password);
    const attributes = validateAttributes(pool, readAttributes(input, 'UserAttributes'), { admin: true });
    const user = await createUser(ctx, pool, {
      username,
      password,
      attributes,
      status: 'FORCE_CHANGE_PASSWORD',
      forceAliasCreation: optBool(input, 'ForceAliasCreation'),
      // PreSignUp_AdminCreateUser may refuse; Cognito ignores its confirm and verify flags here.
      beforeInsert: async (draft) => {
        await preSignUp(ctx, pool, {
          source: 'AdminCreateUser',
          userName: draft.username,
          attributes: draft.attributes,
          validationData: validationDataOf(input),
          clientMetadata,
        });
      },
    });
    user.temporaryPasswordExpiresAt =
      ctx.clock() + pool.passwordPolicy.temporaryPasswordValidityDays * 86400_000;
    try {
      if (action !== 'SUPPRESS')
        await sendInvitation(ctx, pool, user, { login: username, password, mediums, clientMetadata });
    } finally {
      await ctx.store.commit();
    }
    return { User: userType(user) };
  },

  AdminGetUser(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const user = adminUser(pool, str(input, 'Username'));
    return {
      Username: user.username,
      UserAttributes: attributeList(user),
      UserCreateDate: epoch(user.createdAt),
      UserLastModifiedDate: epoch(user.modifiedAt),
      Enabled: user.enabled,
      UserStatus: user.status,
      ...mfaSettingsOf(user),
    };
  },

  async AdminDeleteUser(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const user = adminUser(pool, str(input, 'Username'));
    revokeUserSessions(ctx, pool.id, user.username);
    delete pool.users[user.username];
    await ctx.store.commit();
    return {};
  },

  async AdminDisableUser(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const user = adminUser(pool, str(input, 'Username'));
    user.enabled = false;
    user.modifiedAt = ctx.clock();
    await ctx.store.commit();
    return {};
  },

  async AdminEnableUser(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const user = adminUser(pool, str(input, 'Username'));
    user.enabled = true;
    user.modifiedAt = ctx.clock();
    await ctx.store.commit();
    return {};
  },

  /** Confirms without a code. Like Cognito it does not mark the e-mail verified. */
  async AdminConfirmSignUp(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const user = adminUser(pool, str(input, 'Username'));
    if (user.status !== 'UNCONFIRMED')
      throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
    user.status = 'CONFIRMED';
    user.signupCode = undefined;
    user.modifiedAt = ctx.clock();
    await ctx.store.commit();
    await postConfirmation(ctx, pool, user, {
      source: 'ConfirmSignUp',
      clientMetadata: clientMetadataOf(input),
    });
    return {};
  },

  async AdminUpdateUserAttributes(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const user = adminUser(pool, str(input, 'Username'));
    try {
      await applyAttributeUpdates(ctx, pool, user, readAttributes(input, 'UserAttributes'), {
        admin: true,
        clientMetadata: clientMetadataOf(input),
      });
    } finally {
      await ctx.store.commit();
    }
    return {};
  },
};

function unsupportedResend() {
  return invalidParameter('User is not in FORCE_CHANGE_PASSWORD state; nothing to resend.');
}
