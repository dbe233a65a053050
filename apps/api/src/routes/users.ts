import { Me, MfaStatus, TotpSetup, TotpVerifyBody } from '@app/api-contract';
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/deps.ts';
import { rateLimit } from '../plugins/app/rate-limit.ts';
import type { AccountDeletion } from '../services/account-deletion.ts';
import type { MfaService } from '../services/cognito/mfa.ts';
import type { UsersService } from '../services/users.ts';
import { noContent, PROBLEMS, problems, security } from './openapi.ts';
import type { ContractTypeProvider } from './type-provider.ts';

/** /users/me: the caller's profile, kept in Postgres and synced from the IdP (ADR 0043). */
export default async function usersRoutes(
  root: FastifyInstance,
  opts: { users: UsersService; mfa: MfaService; deletion: AccountDeletion },
) {
  const app = root.withTypeProvider<ContractTypeProvider>();
  app.get(
    '/me',
    {
      preHandler: requireUser(),
      schema: {
        tags: ['users'],
        security,
        summary: 'My profile',
        description:
          'Who the token belongs to: `sub`, e-mail, name, groups and when the account was created, from the token and the API’s own row of the user.',
        response: { 200: Me, ...problems(...PROBLEMS.signedIn, ...PROBLEMS.always) },
      },
    },
    async (req) => opts.users.me(req.user),
  );

  app.delete(
    '/me',
    {
      preHandler: requireUser(),
      schema: {
        tags: ['users'],
        security,
        summary: 'Delete my account: the sign-in, every session and my data (ADR 0150)',
        description:
          'Deletes the account at the identity provider, refuses every token issued before at once, ' +
          'removes the profile and items, and records the deletion in the audit list by `sub` only. ' +
          '409 when the caller is the last enabled admin.',
        response: {
          ...noContent('The account and its data are gone; every token of it is refused from now on.'),
          ...problems(409, ...PROBLEMS.signedIn, ...PROBLEMS.idp, ...PROBLEMS.always),
        },
      },
    },
    async (req, reply) => {
      await opts.deletion.deleteSelf({ username: req.user.username, sub: req.user.sub });
      return reply.code(204).send();
    },
  );

  // The caller's authenticator app (ADR 0118), with their own access token against the IdP.
  const mfaTags = ['users', 'mfa'];
  const mfaProblems = problems(...PROBLEMS.signedIn, ...PROBLEMS.idp, ...PROBLEMS.always, 409);
  const perUser = (name: string, max: number) =>
    rateLimit({ name: `mfa-${name}:user`, max, windowSeconds: 900, key: (req) => req.user?.sub });
  const { mfa } = opts;

  app.post(
    '/me/mfa/totp',
    {
      preHandler: [requireUser(), perUser('start', 10)],
      schema: {
        tags: mfaTags,
        security,
        summary: 'Start setting up an authenticator app: a new key, not in use until verified',
        description:
          'Answers the secret and an `otpauth://` URI for a QR code. Nothing changes until a code from it is verified with `/users/me/mfa/totp/verify`.',
        response: { 200: TotpSetup, ...mfaProblems },
      },
    },
    async (req, reply) =>
      reply.headers({ 'cache-control': 'no-store' }).send(await mfa.startTotp(req.user.accessToken)),
  );

  app.post(
    '/me/mfa/totp/verify',
    {
      preHandler: [requireUser(), perUser('verify', 10)],
      schema: {
        tags: mfaTags,
        security,
        summary: 'Verify a code from the new key: TOTP on, and the preferred factor',
        description:
          'The 6-digit code the app shows for the key from `/users/me/mfa/totp`. From then on a password sign-in asks for a code. A wrong code is a 400.',
        body: TotpVerifyBody,
        response: { 200: MfaStatus, ...mfaProblems, ...problems(...PROBLEMS.body) },
      },
    },
    async (req) => {
      await mfa.verifyTotp(req.user.accessToken, req.body.code);
      return mfa.status(req.user.accessToken);
    },
  );

  app.delete(
    '/me/mfa/totp',
    {
      preHandler: [requireUser(), perUser('remove', 10)],
      schema: {
        tags: mfaTags,
        security,
        summary: 'Turn the authenticator app off',
        description:
          'From then on a password sign-in asks for no authenticator code. Answers the factors that remain on.',
        response: { 200: MfaStatus, ...mfaProblems },
      },
    },
    async (req) => {
      await mfa.removeTotp(req.user.accessToken);
      return mfa.status(req.user.accessToken);
    },
  );
}
