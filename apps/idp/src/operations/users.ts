import { sameEmail } from '@app/pool-definition/email';
import type { Ctx } from '../context.ts';
import { codeDelivery, sendMail } from '../mail/mailbox.ts';
import { aliasExists, invalidParameter } from '../protocol/errors.ts';
import { type Input, attributeList as readAttributes, str } from '../protocol/params.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { authenticateAccessToken } from '../tokens/access.ts';
import { revokeUserSessions } from '../tokens/issue.ts';
import { validateAttributes } from '../users/accounts.ts';
import { checkCode, codeLifetimeMs, issueCode } from '../users/codes.ts';
import { findUser, isEmailPool } from '../users/lookup.ts';
import { attributeList } from '../users/shape.ts';

function sendVerificationCode(ctx: Ctx, user: UserRecord) {
  const { code, record } = issueCode(ctx, codeLifetimeMs.verification);
  user.emailVerificationCode = record;
  const to = user.attributes.email!;
  sendMail(ctx, {
    to,
    kind: 'verification',
    subject: 'Your verification code',
    body: `Your verification code is ${code}`,
    code,
  });
  return codeDelivery(to);
}

/**
 * Applies attribute changes for a user (self-service or admin). A new e-mail must be unique in the pool
 * and is unverified until its code is confirmed; `verifyEmail` sends that code.
 */
export function applyAttributeUpdates(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  updates: Array<{ Name: string; Value: string }>,
  opts: { admin: boolean },
) {
  const attrs = validateAttributes(pool, updates);
  for (const name of Object.keys(attrs)) {
    const def = pool.schema.find((s) => s.name === name);
    if (def && !def.mutable) throw invalidParameter(`Cannot modify an immutable attribute: ${name}`);
    if (name.endsWith('_verified') && !opts.admin) throw invalidParameter(`Cannot modify ${name} directly.`);
  }
  const newEmail =
    attrs.email && !(user.attributes.email && sameEmail(attrs.email, user.attributes.email))
      ? attrs.email
      : undefined;
  if (newEmail && isEmailPool(pool)) {
    const other = findUser(pool, newEmail);
    if (other && other !== user) throw aliasExists('An account with the given email already exists.');
  }
  Object.assign(user.attributes, attrs);
  user.modifiedAt = ctx.clock();
  if (newEmail && !(opts.admin && attrs.email_verified === 'true')) {
    user.attributes.email_verified = 'false';
    return [sendVerificationCode(ctx, user)];
  }
  return [];
}

export const userOperations = {
  GetUser(ctx: Ctx, input: Input) {
    const { user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    return { Username: user.username, UserAttributes: attributeList(user) };
  },

  async UpdateUserAttributes(ctx: Ctx, input: Input) {
    const { pool, user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    const deliveries = applyAttributeUpdates(ctx, pool, user, readAttributes(input, 'UserAttributes'), {
      admin: false,
    });
    await ctx.store.commit();
    return { CodeDeliveryDetailsList: deliveries };
  },

  async DeleteUser(ctx: Ctx, input: Input) {
    const { pool, user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    revokeUserSessions(ctx, pool.id, user.username);
    delete pool.users[user.username];
    await ctx.store.commit();
    return {};
  },

  async GetUserAttributeVerificationCode(ctx: Ctx, input: Input) {
    const { user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    if (str(input, 'AttributeName') !== 'email' || !user.attributes.email)
      throw invalidParameter('Only the email attribute can be verified by the local IdP.');
    const delivery = sendVerificationCode(ctx, user);
    await ctx.store.commit();
    return { CodeDeliveryDetails: delivery };
  },

  async VerifyUserAttribute(ctx: Ctx, input: Input) {
    const { user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    if (str(input, 'AttributeName') !== 'email')
      throw invalidParameter('Only the email attribute can be verified.');
    try {
      checkCode(ctx, user.emailVerificationCode, str(input, 'Code'));
    } finally {
      await ctx.store.commit();
    }
    user.attributes.email_verified = 'true';
    user.emailVerificationCode = undefined;
    user.modifiedAt = ctx.clock();
    await ctx.store.commit();
    return {};
  },
};
