import type { Ctx } from '../context.ts';
import { completeRegistration, credentialType, startRegistration } from '../mfa/webauthn.ts';
import { CognitoError, resourceNotFound } from '../protocol/errors.ts';
import { type Input, optInt, optStr, str } from '../protocol/params.ts';
import { authenticateAccessToken } from '../tokens/access.ts';
import { allowedFirstFactors } from './auth-factors.ts';
import { paginate } from './paging.ts';

/** Passkeys need WEB_AUTHN among the pool's first factors (SignInPolicy), as on Cognito. */
function passkeyUser(ctx: Ctx, input: Input) {
  const found = authenticateAccessToken(ctx, str(input, 'AccessToken'));
  if (!allowedFirstFactors(found.pool).includes('WEB_AUTHN'))
    throw new CognitoError(
      'WebAuthnNotEnabledException',
      'Passkey sign-in is not enabled for this user pool.',
    );
  return found;
}

export const webAuthnOperations = {
  async StartWebAuthnRegistration(ctx: Ctx, input: Input) {
    const { pool, client, user } = passkeyUser(ctx, input);
    return { CredentialCreationOptions: await startRegistration(ctx, pool, client, user) };
  },

  async CompleteWebAuthnRegistration(ctx: Ctx, input: Input) {
    const { pool, user } = passkeyUser(ctx, input);
    if (input.Credential === undefined || input.Credential === null)
      throw new CognitoError('InvalidParameterException', 'Missing required parameter Credential');
    await completeRegistration(ctx, pool, user, input.Credential);
    await ctx.store.commit();
    return {};
  },

  ListWebAuthnCredentials(ctx: Ctx, input: Input) {
    const { user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    const max = optInt(input, 'MaxResults', 0, 20) || 20;
    const all = [...(user.webAuthn ?? [])].sort((a, b) => a.credentialId.localeCompare(b.credentialId));
    const { page, next } = paginate(all, (c) => c.credentialId, max, optStr(input, 'NextToken'));
    return { Credentials: page.map(credentialType), NextToken: next };
  },

  async DeleteWebAuthnCredential(ctx: Ctx, input: Input) {
    const { user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    const id = str(input, 'CredentialId');
    const before = user.webAuthn ?? [];
    if (!before.some((c) => c.credentialId === id)) throw resourceNotFound('Credential not found.');
    user.webAuthn = before.filter((c) => c.credentialId !== id);
    user.modifiedAt = ctx.clock();
    await ctx.store.commit();
    return {};
  },
};
