import type { Ctx } from '../context.ts';
import { recordAuthEvent } from '../events/auth-events.ts';
import { codeDelivery } from '../mail/mailbox.ts';
import { settingsOf } from '../pools/describe.ts';
import { codeMismatch, invalidParameter, notAuthorized, userNotFound } from '../protocol/errors.ts';
import { attributeList, type Input, optBool, optStr, str } from '../protocol/params.ts';
import type { ClientRecord } from '../store/state.ts';
import { clientMetadataOf, validationDataOf } from '../triggers/events.ts';
import { type PreSignUpResult, postConfirmation, preSignUp } from '../triggers/sign-up.ts';
import { createUser, validateAttributes } from '../users/accounts.ts';
import { assertAliasesFree } from '../users/aliases.ts';
import { mailCode, signUpMedium } from '../users/code-mail.ts';
import { checkCode } from '../users/codes.ts';
import { decoyCodeWork } from '../users/decoy.ts';
import { checkSecretHash, clientById, findUser } from '../users/lookup.ts';

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
    if (settingsOf(pool).AdminCreateUserConfig.AllowAdminCreateUserOnly)
      throw notAuthorized('SignUp is not permitted for this user pool');
    const attributes = validateAttributes(pool, attributeList(input, 'UserAttributes'));
    delete attributes.email_verified;
    const clientMetadata = clientMetadataOf(input);
    let flags: PreSignUpResult | undefined;
    const user = await createUser(ctx, pool, {
      username,
      password,
      attributes,
      status: 'UNCONFIRMED',
      beforeInsert: async (draft) => {
        flags = await preSignUp(ctx, pool, {
          source: 'SignUp',
          userName: draft.username,
          attributes: draft.attributes,
          validationData: validationDataOf(input),
          clientId: client.clientId,
          clientMetadata,
        });
      },
    });
    const confirmed = flags?.autoConfirmUser === true;
    if (confirmed) user.status = 'CONFIRMED';
    const verified = {
      email_verified: flags?.autoVerifyEmail ? 'true' : 'false',
      ...(flags?.autoVerifyPhone ? { phone_number_verified: 'true' } : {}),
    };
    // An auto-verified e-mail or phone number is an alias at once; one another user holds moves to
    // this user and becomes unverified there (Cognito's pre sign-up page), as ForceAliasCreation does.
    assertAliasesFree(pool, user, { ...user.attributes, ...verified }, true);
    Object.assign(user.attributes, verified);
    recordAuthEvent(ctx, pool, user, { type: 'SignUp', response: 'Pass', challenges: [] });
    let delivery: Awaited<ReturnType<typeof mailCode>> | undefined;
    // By SMS when the pool auto-verifies the phone number, else by e-mail (ADR 0198).
    const medium = signUpMedium(pool, user);
    try {
      // An auto-confirmed user gets no code; a failing CustomMessage fails the call, the user stays.
      // Without AutoVerifiedAttributes Cognito sends no code: an administrator confirms the user.
      if (!confirmed && medium)
        delivery = await mailCode(
          ctx,
          pool,
          user,
          'signup',
          { source: 'SignUp', clientId: client.clientId, clientMetadata },
          medium,
        );
    } finally {
      await ctx.store.commit();
    }
    if (confirmed)
      await postConfirmation(ctx, pool, user, {
        source: 'ConfirmSignUp',
        clientId: client.clientId,
        clientMetadata,
      });
    return { UserConfirmed: confirmed, CodeDeliveryDetails: delivery, UserSub: user.sub };
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
    // Confirming verifies the attribute the code went to (the e-mail unless it was texted); in an
    // alias pool another user's verified alias refuses that unless ForceAliasCreation moves it here.
    const verified = `${signUpMedium(pool, user) ?? 'email'}_verified`;
    assertAliasesFree(
      pool,
      user,
      { ...user.attributes, [verified]: 'true' },
      optBool(input, 'ForceAliasCreation'),
    );
    user.status = 'CONFIRMED';
    user.attributes[verified] = 'true';
    user.signupCode = undefined;
    user.modifiedAt = ctx.clock();
    await ctx.store.commit();
    await postConfirmation(ctx, pool, user, {
      source: 'ConfirmSignUp',
      clientId: client.clientId,
      clientMetadata: clientMetadataOf(input),
    });
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
    const medium = signUpMedium(pool, user);
    if (!medium) throw invalidParameter('Cannot resend codes. Auto verification not turned on.');
    try {
      const delivery = await mailCode(
        ctx,
        pool,
        user,
        'signup',
        { source: 'ResendCode', clientId: client.clientId, clientMetadata: clientMetadataOf(input) },
        medium,
      );
      recordAuthEvent(ctx, pool, user, { type: 'ResendCode', response: 'Pass', challenges: [] });
      return { CodeDeliveryDetails: delivery };
    } finally {
      await ctx.store.commit();
    }
  },
};

export { decoyDelivery };
