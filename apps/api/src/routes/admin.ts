import {
  AdminCreateUserBody,
  AdminSetPasswordBody,
  AdminUser,
  AdminUserListQuery,
  AdminUserPage,
  AuditEventPage,
  AuditListQuery,
  GroupList,
  GroupMembership,
} from '@app/api-contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireGroups } from '../auth/deps.ts';
import type { AuditLog } from '../services/audit.ts';
import type { AdminService } from '../services/cognito/admin.ts';
import type { AdminDirectory } from '../services/cognito/admin-directory.ts';
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
export default async function adminRoutes(
  root: FastifyInstance,
  opts: { admin: AdminService; directory: AdminDirectory; audit: AuditLog },
) {
  const app = root.withTypeProvider<ContractTypeProvider>();
  const { admin, directory } = opts;
  const tags = ['admin'];
  // One hook for the whole scope: a route added here later cannot forget the guard.
  app.addHook('preHandler', requireGroups(ADMIN_GROUP));

  app.get(
    '/users',
    {
      schema: {
        tags,
        security,
        summary: 'List users: a page in Cognito’s order, one filter (e-mail or name prefix, or status)',
        description:
          'ListUsers has no sort: pages come in the pool’s order, `next_token` continues. The first page ' +
          'carries the pool’s estimated user count. `last_seen_at` is when this API last saw the user (ADR 0151).',
        querystring: AdminUserListQuery,
        response: { 200: AdminUserPage, ...adminProblems },
      },
    },
    async (req) => directory.listUsers(req.query),
  );

  app.post(
    '/users',
    {
      schema: {
        tags,
        security,
        summary: 'Invite a user: Cognito mails a temporary password to change at the first sign-in',
        description:
          'E-mail and an optional name. The pool mails a temporary password; at the first sign-in the user must choose their own (NEW_PASSWORD_REQUIRED). 409 when the address already has an account. Needs the `admin` group (403 otherwise). Recorded in the audit list.',
        body: AdminCreateUserBody,
        response: { 201: AdminUser, ...bodyProblems, ...problems(409) },
      },
    },
    async (req, reply) => reply.code(201).send(await admin.createUser(req.body, req.user)),
  );

  app.get(
    '/groups',
    {
      schema: {
        tags,
        security,
        summary: 'List the pool’s groups',
        description:
          'Each group’s name and description, for the groups dialog. Needs the `admin` group (403 otherwise).',
        response: { 200: GroupList, ...adminProblems },
      },
    },
    async () => ({ groups: await directory.listGroups() }),
  );

  app.get(
    '/users/:username/groups',
    {
      schema: {
        tags,
        security,
        summary: 'List the groups of a user',
        description: '404 when there is no such user. Needs the `admin` group (403 otherwise).',
        params: UserParams,
        response: { 200: GroupList, ...userProblems },
      },
    },
    async (req) => ({ groups: await directory.groupsForUser(req.params.username) }),
  );

  app.post(
    '/users/:username/groups',
    {
      schema: {
        tags,
        security,
        summary: 'Add a user to a group (takes effect at their next sign-in or refresh)',
        description:
          'The group shows in their tokens from their next sign-in or refresh. Needs the `admin` group (403 otherwise). Recorded in the audit list.',
        params: UserParams,
        body: GroupMembership,
        response: { ...noContent('The user is in the group.'), ...bodyProblems },
      },
    },
    async (req, reply) => {
      await admin.addToGroup(req.params.username, req.body.group_name, req.user);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/users/:username/groups/:group_name',
    {
      schema: {
        tags,
        security,
        summary: 'Remove a user from a group and end every session of theirs',
        description:
          'Every session ends so no token keeps the old group. Taking `admin` from the last enabled admin is refused (409). Needs the `admin` group (403 otherwise). Recorded in the audit list.',
        params: MembershipParams,
        response: {
          ...noContent('The user is out of the group; their sessions have ended.'),
          ...lastAdminProblems,
        },
      },
    },
    async (req, reply) => {
      // Ends the user's sessions (old tokens carry the group); 409 for the last enabled admin (ADR 0070).
      await admin.removeFromGroup(req.params.username, req.params.group_name, req.user);
      return reply.code(204).send();
    },
  );

  app.post(
    '/users/:username/disable',
    {
      schema: {
        tags,
        security,
        summary: 'Disable a user and end every session of theirs',
        description:
          'They cannot sign in until enabled again, and every token issued before is refused at once. The last enabled admin cannot be disabled (409). Needs the `admin` group (403 otherwise). Recorded in the audit list.',
        params: UserParams,
        response: { ...noContent('The user is disabled and signed out everywhere.'), ...lastAdminProblems },
      },
    },
    async (req, reply) => {
      // Signs the user out at the IdP and refuses their issued tokens here at once; 409 for the last admin.
      await admin.disable(req.params.username, req.user);
      return reply.code(204).send();
    },
  );

  app.post(
    '/users/:username/enable',
    {
      schema: {
        tags,
        security,
        summary: 'Enable a disabled user',
        description:
          'They can sign in again with their password. Needs the `admin` group (403 otherwise). Recorded in the audit list.',
        params: UserParams,
        response: { ...noContent('The user is enabled.'), ...userProblems },
      },
    },
    async (req, reply) => {
      await admin.enable(req.params.username, req.user);
      return reply.code(204).send();
    },
  );

  app.post(
    '/users/:username/password',
    {
      schema: {
        tags,
        security,
        summary: 'Set a user’s password and end every session of theirs',
        description:
          '`permanent: false` makes it a temporary password to change at the next sign-in. The password must meet the pool’s policy and not be a common password (400). Needs the `admin` group (403 otherwise). Recorded in the audit list.',
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
      await admin.setPassword(req.params.username, req.body.password, req.body.permanent ?? true, req.user);
      return reply.code(204).send();
    },
  );

  app.post(
    '/users/:username/password/reset',
    {
      schema: {
        tags,
        security,
        summary: 'Reset a user’s password: a code by mail to choose a new one; every session ends',
        description:
          'Their current password stops working; the mailed code sets a new one (the forgot-password page). Needs the `admin` group (403 otherwise). Recorded in the audit list.',
        params: UserParams,
        response: {
          ...noContent('The password no longer works; a code is on its way; every session has ended.'),
          ...userProblems,
        },
      },
    },
    async (req, reply) => {
      await admin.resetPassword(req.params.username, req.user);
      return reply.code(204).send();
    },
  );

  app.post(
    '/users/:username/sign-out',
    {
      schema: {
        tags,
        security,
        summary: 'Sign a user out everywhere: refresh tokens dead at the IdP, access tokens refused here',
        description:
          'A global sign-out at the IdP and a cut-off in this API: every token issued before is refused at once. Needs the `admin` group (403 otherwise). Recorded in the audit list.',
        params: UserParams,
        response: { ...noContent('Every session of the user has ended.'), ...userProblems },
      },
    },
    async (req, reply) => {
      await admin.signOut(req.params.username, req.user);
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
        description:
          'For a user who lost their authenticator: every second factor is turned off, so the password alone signs in until they set a new one up. Needs the `admin` group (403 otherwise). Recorded in the audit list.',
        params: UserParams,
        response: {
          ...noContent('MFA is off for the user; every session of theirs has ended.'),
          ...userProblems,
        },
      },
    },
    async (req, reply) => {
      await admin.resetMfa(req.params.username, req.user);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/users/:username',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a user, their sessions and their data (ADR 0150)',
        description:
          'The account at the IdP, every token issued before (refused at once), the profile and the items. The last enabled admin cannot be deleted (409). Needs the `admin` group (403 otherwise). Recorded in the audit list.',
        params: UserParams,
        response: { ...noContent('The user and their data are deleted.'), ...lastAdminProblems },
      },
    },
    async (req, reply) => {
      // The user's issued tokens are refused here at once, their data goes; 409 for the last enabled admin.
      await admin.deleteUser(req.params.username, req.user);
      return reply.code(204).send();
    },
  );

  app.get(
    '/audit',
    {
      schema: {
        tags,
        security,
        summary: 'The audit list: who did what to which account, and when (newest first)',
        description:
          'Every change made through these admin routes, written after it succeeded: the acting admin’s address at the time, the action and the target. Page with `limit` and `before` (the previous page’s `next_before`). Needs the `admin` group (403 otherwise).',
        querystring: AuditListQuery,
        response: { 200: AuditEventPage, ...problems(400, 403, ...PROBLEMS.signedIn, ...PROBLEMS.always) },
      },
    },
    async (req) => opts.audit.list(req.query),
  );
}
