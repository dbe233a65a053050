import {
  AdminSetPasswordBody,
  AdminUserListQuery,
  AdminUserPage,
  GroupList,
  GroupMembership,
} from '@app/api-contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireGroups } from '../auth/deps.ts';
import type { AdminService } from '../services/cognito/admin.ts';
import { ADMIN_GROUP } from '../services/cognito/last-admin.ts';
import { noContent, PROBLEMS, problems, security } from './openapi.ts';
import type { ContractTypeProvider } from './type-provider.ts';

const username = Type.String({ minLength: 1, maxLength: 128 });
const UserParams = Type.Object({ username });
const MembershipParams = Type.Object({ username, group_name: Type.String({ minLength: 1, maxLength: 128 }) });

/** Admin only (401/403); every route asks the user pool (429, 502, 503). */
const adminProblems = problems(400, 403, ...PROBLEMS.signedIn, ...PROBLEMS.idp, ...PROBLEMS.always);
/** Routes naming a user or group: 404 when it does not exist. */
const userProblems = problems(400, 403, 404, ...PROBLEMS.signedIn, ...PROBLEMS.idp, ...PROBLEMS.always);
/** Routes that could leave no enabled admin: 409 (ADR 0071). */
const lastAdminProblems = problems(
  400,
  403,
  404,
  409,
  ...PROBLEMS.signedIn,
  ...PROBLEMS.idp,
  ...PROBLEMS.always,
);
/** Routes with a JSON body. */
const bodyProblems = problems(
  ...PROBLEMS.body,
  403,
  404,
  ...PROBLEMS.signedIn,
  ...PROBLEMS.idp,
  ...PROBLEMS.always,
);

/** /admin/*: user-pool administration, for members of the `admin` group only. */
export default async function adminRoutes(root: FastifyInstance, opts: { admin: AdminService }) {
  const app = root.withTypeProvider<ContractTypeProvider>();
  const { admin } = opts;
  const tags = ['admin'];
  // One hook for the whole scope: a route added here later cannot forget the guard.
  app.addHook('preHandler', requireGroups(ADMIN_GROUP));

  app.get(
    '/users',
    {
      schema: {
        tags,
        security,
        querystring: AdminUserListQuery,
        response: { 200: AdminUserPage, ...adminProblems },
      },
    },
    async (req) => admin.listUsers(req.query),
  );

  app.get(
    '/groups',
    { schema: { tags, security, response: { 200: GroupList, ...adminProblems } } },
    async () => ({
      groups: await admin.listGroups(),
    }),
  );

  app.get(
    '/users/:username/groups',
    { schema: { tags, security, params: UserParams, response: { 200: GroupList, ...userProblems } } },
    async (req) => ({ groups: await admin.groupsForUser(req.params.username) }),
  );

  app.post(
    '/users/:username/groups',
    {
      schema: {
        tags,
        security,
        params: UserParams,
        body: GroupMembership,
        response: { ...noContent('The user is in the group.'), ...bodyProblems },
      },
    },
    async (req, reply) => {
      await admin.addToGroup(req.params.username, req.body.group_name);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/users/:username/groups/:group_name',
    {
      schema: {
        tags,
        security,
        params: MembershipParams,
        response: {
          ...noContent('The user is out of the group; their sessions have ended.'),
          ...lastAdminProblems,
        },
      },
    },
    async (req, reply) => {
      // Ends the user's sessions (old tokens carry the group); 409 for the last enabled admin (ADR 0070).
      await admin.removeFromGroup(req.params.username, req.params.group_name);
      return reply.code(204).send();
    },
  );

  app.post(
    '/users/:username/disable',
    {
      schema: {
        tags,
        security,
        params: UserParams,
        response: { ...noContent('The user is disabled and signed out everywhere.'), ...lastAdminProblems },
      },
    },
    async (req, reply) => {
      // Signs the user out at the IdP and refuses their issued tokens here at once; 409 for the last admin.
      await admin.disable(req.params.username);
      return reply.code(204).send();
    },
  );

  app.post(
    '/users/:username/enable',
    {
      schema: {
        tags,
        security,
        params: UserParams,
        response: { ...noContent('The user is enabled.'), ...userProblems },
      },
    },
    async (req, reply) => {
      await admin.enable(req.params.username);
      return reply.code(204).send();
    },
  );

  app.post(
    '/users/:username/password',
    {
      schema: {
        tags,
        security,
        params: UserParams,
        body: AdminSetPasswordBody,
        response: {
          ...noContent('The password is set; every session of the user has ended.'),
          ...bodyProblems,
        },
      },
    },
    async (req, reply) => {
      // Every session of the user ends, as after their own password change (ADR 0070).
      await admin.setPassword(req.params.username, req.body.password, req.body.permanent ?? true);
      return reply.code(204).send();
    },
  );

  app.post(
    '/users/:username/mfa/reset',
    {
      schema: {
        tags,
        security,
        summary: "Reset a user's MFA (every factor off) and end every session of theirs",
        params: UserParams,
        response: {
          ...noContent('MFA is off for the user; every session of theirs has ended.'),
          ...userProblems,
        },
      },
    },
    async (req, reply) => {
      await admin.resetMfa(req.params.username);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/users/:username',
    {
      schema: {
        tags,
        security,
        params: UserParams,
        response: { ...noContent('The user and their data are deleted.'), ...lastAdminProblems },
      },
    },
    async (req, reply) => {
      // The user's issued tokens are refused here at once, their data goes; 409 for the last enabled admin.
      await admin.deleteUser(req.params.username, req.user.sub);
      return reply.code(204).send();
    },
  );
}
