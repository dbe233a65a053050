import { sameEmail } from '@app/pool-definition/email';
import type { Ctx } from '../context.ts';
import { mfaSettingsOf } from '../mfa/settings.ts';
import { invalidParameter } from '../protocol/errors.ts';
import { type Input, attributeList as readAttributes, str } from '../protocol/params.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { authenticateAccessToken } from '../tokens/access.ts';
import { revokeUserSessions } from '../tokens/issue.ts';
import { clientMetadataOf } from '../triggers/events.ts';
import { validateAttributes } from '../users/accounts.ts';
import { assertAliasesFree } from '../users/aliases.ts';
import { mailCode } from '../users/code-mail.ts';
import { changeEmail } from '../users/email-change.ts';
import { assertPhoneFree, changePhone, textPhoneCode, verifiableAttribute } from '../users/phone-change.ts';
import { attributeList } from '../users/shape.ts';
import { verifyAttributeCode } from '../users/verify-attribute.ts';

/**
 * Applies attribute changes for a user (self-service or admin); a changed e-mail goes through
 * changeEmail (verification, and the pending value when the pool keeps the original: ADR 0078).
 */
export async function applyAttributeUpdates(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  updates: Array<{ Name: string; Value: string }>,
  opts: { admin: boolean; clientId?: string; clientMetadata?: Record<string, string> },
) {
  const { email, ...attrs } = validateAttributes(pool, updates, { admin: opts.admin });
  for (const name of Object.keys(attrs)) {
    const def = pool.schema.find((s) => s.name === name);
    if (def && !def.mutable) throw invalidParameter(`Cannot modify an immutable attribute: ${name}`);
    if (name.endsWith('_verified') && !opts.admin) throw invalidParameter(`Cannot modify ${name} directly.`);
  }
  if (email !== undefined && pool.schema.find((s) => s.name === 'email')?.mutable === false)
    throw invalidParameter('Cannot modify an immutable attribute: email');
  const current = user.attributes.email;
  const changed = email !== undefined && !(current && sameEmail(email, current));
  // Re-sending the current address withdraws a pending change.
  if (email !== undefined && !changed) user.pendingEmail = undefined;
  const verifiedByAdmin = opts.admin && attrs.email_verified === 'true';
  if (changed) delete attrs.email_verified;
  // A new phone number needs its code unless an administrator marks it verified with it (ADR 0198);
  // re-sending the current number withdraws a pending change.
  const newPhone =
    attrs.phone_number !== undefined &&
    attrs.phone_number !== user.attributes.phone_number &&
    !(opts.admin && attrs.phone_number_verified === 'true')
      ? attrs.phone_number
      : undefined;
  if (newPhone !== undefined) {
    delete attrs.phone_number_verified;
    delete attrs.phone_number;
    assertPhoneFree(pool, user, newPhone);
  } else if (attrs.phone_number !== undefined) user.pendingPhone = undefined;
  // Alias pools: a preferred_username, or a verified e-mail or phone number, another user holds is refused.
  const claimed: Record<string, string | undefined> = { ...attrs };
  if (attrs.phone_number_verified) claimed.phone_number ??= user.attributes.phone_number;
  if (changed && verifiedByAdmin) Object.assign(claimed, { email, email_verified: 'true' });
  assertAliasesFree(pool, user, claimed);
  Object.assign(user.attributes, attrs);
  user.modifiedAt = ctx.clock();
  const via = {
    source: 'UpdateUserAttribute',
    clientId: opts.clientId,
    clientMetadata: opts.clientMetadata,
  } as const;
  const deliveries = changed ? await changeEmail(ctx, pool, user, email, verifiedByAdmin, via) : [];
  if (newPhone !== undefined) deliveries.push(...(await changePhone(ctx, pool, user, newPhone, via)));
  return deliveries;
}

export const userOperations = {
  GetUser(ctx: Ctx, input: Input) {
    const { user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    return { Username: user.username, UserAttributes: attributeList(user), ...mfaSettingsOf(user) };
  },

  async UpdateUserAttributes(ctx: Ctx, input: Input) {
    const { pool, client, user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    try {
      const deliveries = await applyAttributeUpdates(
        ctx,
        pool,
        user,
        readAttributes(input, 'UserAttributes'),
        {
          admin: false,
          clientId: client.clientId,
          clientMetadata: clientMetadataOf(input),
        },
      );
      return { CodeDeliveryDetailsList: deliveries };
    } finally {
      await ctx.store.commit();
    }
  },

  async DeleteUser(ctx: Ctx, input: Input) {
    const { pool, user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    revokeUserSessions(ctx, pool.id, user.username);
    delete pool.users[user.username];
    await ctx.store.commit();
    return {};
  },

  async GetUserAttributeVerificationCode(ctx: Ctx, input: Input) {
    const { pool, client, user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    const attribute = verifiableAttribute(str(input, 'AttributeName'));
    if (attribute === 'email' && !user.attributes.email)
      throw invalidParameter('User does not have an email attribute.');
    const via = {
      source: 'VerifyUserAttribute',
      clientId: client.clientId,
      clientMetadata: clientMetadataOf(input),
    } as const;
    try {
      const delivery =
        attribute === 'email'
          ? await mailCode(ctx, pool, user, 'verification', via)
          : await textPhoneCode(ctx, pool, user, via);
      return { CodeDeliveryDetails: delivery };
    } finally {
      await ctx.store.commit();
    }
  },

  async VerifyUserAttribute(ctx: Ctx, input: Input) {
    const { pool, user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    const attribute = verifiableAttribute(str(input, 'AttributeName'));
    const code = str(input, 'Code');
    try {
      verifyAttributeCode(ctx, pool, user, attribute, code);
    } finally {
      await ctx.store.commit();
    }
    return {};
  },
};
