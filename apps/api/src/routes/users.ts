import { Me, MfaStatus, TotpSetup, TotpVerifyBody } from '@app/api-contract';
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/deps.ts';
import { rateLimit } from '../plugins/app/rate-limit.ts';
import type { MfaService } from '../services/cognito/mfa.ts';
import type { UsersService } from '../services/users.ts';
import { PROBLEMS, problems, security } from './openapi.ts';
import type { ContractTypeProvider } from './type-provider.ts';

/** /users/me: the caller's profile, kept in Postgres and synced from the IdP (ADR 0043). */
export default async function usersRoutes(
  root: FastifyInstance,
  opts: { users: UsersService; mfa: MfaService },
) {
  const app = root.withTypeProvider<ContractTypeProvider>();
  app.get(
    '/me',
    {
      preHandler: requireUser(),
      schema: {
        tags: ['users'],
        security,
        response: { 200: Me, ...problems(...PROBLEMS.signedIn, ...PROBLEMS.always) },
      },
    },
    async (req) => opts.users.me(req.user),
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
        response: { 200: MfaStatus, ...mfaProblems },
      },
    },
    async (req) => {
      await mfa.removeTotp(req.user.accessToken);
      return mfa.status(req.user.accessToken);
    },
  );
}
