import type { Ctx } from '../context.ts';
import { codeDelivery, sendMail } from '../mail/mailbox.ts';
import { codeMismatch, invalidParameter, notAuthorized, userNotFound } from '../protocol/errors.ts';
import { attributeList, type Input, optStr, str } from '../protocol/params.ts';
import type { ClientRecord, UserRecord } from '../store/state.ts';
import { createUser, validateAttributes } from '../users/accounts.ts';
import { checkCode, codeLifetimeMs, issueCode } from '../users/codes.ts';
import { decoyCodeWork } from '../users/decoy.ts';
import { checkSecretHash, clientById, findUser } from '../users/lookup.ts';

/** Mails a fresh sign-up code (replacing any earlier one). The caller commits. */
export function sendSignupCode(ctx: Ctx, user: UserRecord) {
  const { code, record } = issueCode(ctx, codeLifetimeMs.signup);
  user.signupCode = record;
  const to = user.attributes.email!;
  sendMail(ctx, {
    to,
    kind: 'signup',
    subject: 'Your verification code',
    body: `Your confirmation code is ${code}`,
    code,
  });
  return codeDelivery(to);
}

/** What an unknown user gets when existence errors are hidden: the same shape as a real delivery. */
function decoyDelivery(client: ClientRecord, username: string) {
  if (client.preventUserExistenceErrors !== 'ENABLED')
    throw userNotFound('Username/client id combination not found.');
  return codeDelivery(username.includes('@') ? username : 'unknown@example.com');
}

export const signUpOperations = {
  async SignUp(ctx: Ctx, input: Input) {
    const { client, pool } = clientById(ctx, str(input, 'ClientId'));
    const username = str(input, 'Username');
    const password = str(input, 'Password');
    checkSecretHash(client, [username], optStr(input, 'SecretHash'));
    const attributes = validateAttributes(pool, attributeList(input, 'UserAttributes'));
    delete attributes.email_verified;
    const user = await createUser(ctx, pool, { username, password, attributes, status: 'UNCONFIRMED' });
    user.attributes.email_verified = 'false';
    const delivery = user.attributes.email ? sendSignupCode(ctx, user) : undefined;
    await ctx.store.commit();
    return { UserConfirmed: false, CodeDeliveryDetails: delivery, UserSub: user.sub };
  },

  async ConfirmSignUp(ctx: Ctx, input: Input) {
    const { client, pool } = clientById(ctx, str(input, 'ClientId'));
    const username = str(input, 'Username');
    const code = str(input, 'ConfirmationCode');
    const user = findUser(pool, username);
    checkSecretHash(client, [username, user?.username], optStr(input, 'SecretHash'));
    if (!user) {
      if (client.preventUserExistenceErrors !== 'ENABLED')
        throw userNotFound('Username/client id combination not found.');
      await ctx.store.commit();
      throw codeMismatch();
    }
    if (user.status !== 'UNCONFIRMED')
      throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
    try {
      checkCode(ctx, user.signupCode, code);
    } finally {
      await ctx.store.commit();
    }
    user.status = 'CONFIRMED';
    user.attributes.email_verified = 'true';
    user.signupCode = undefined;
    user.modifiedAt = ctx.clock();
    await ctx.store.commit();
    return {};
  },

  async ResendConfirmationCode(ctx: Ctx, input: Input) {
    const { client, pool } = clientById(ctx, str(input, 'ClientId'));
    const username = str(input, 'Username');
    const user = findUser(pool, username);
    checkSecretHash(client, [username, user?.username], optStr(input, 'SecretHash'));
    if (!user) {
      const CodeDeliveryDetails = decoyDelivery(client, username);
      await decoyCodeWork(ctx);
      return { CodeDeliveryDetails };
    }
    if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
    const delivery = sendSignupCode(ctx, user);
    await ctx.store.commit();
    return { CodeDeliveryDetails: delivery };
  },
};

export { decoyDelivery };
