import { Me } from '@app/api-contract';
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/deps.ts';
import type { UsersService } from '../services/users.ts';
import { PROBLEMS, problems, security } from './openapi.ts';
import type { ContractTypeProvider } from './type-provider.ts';

/** /users/me: the caller's profile, kept in Postgres and synced from the IdP (ADR 0043). */
export default async function usersRoutes(root: FastifyInstance, opts: { users: UsersService }) {
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
}
