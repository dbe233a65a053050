import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { planOf, upsertSyncedUser } from '../services/users.ts';

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const digest = (s: string) => createHash('sha256').update(s).digest();

/** The caller is on this machine and shows the start's token (compared in constant time). */
function allowed(req: FastifyRequest, token: Buffer): boolean {
  if (!loopback.has(req.socket.remoteAddress ?? '')) return false;
  const shown = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  return shown !== undefined && timingSafeEqual(digest(shown), token);
}

const ProvisionedUser = {
  type: 'object',
  required: ['sub', 'username'],
  additionalProperties: false,
  properties: {
    sub: { type: 'string', minLength: 1, maxLength: 128 },
    username: { type: 'string', minLength: 1, maxLength: 128 },
    email: { type: ['string', 'null'], maxLength: 320 },
    name: { type: ['string', 'null'], maxLength: 256 },
  },
} as const;

/**
 * `/_internal/users` (ADR 0155): under `npm start` with the embedded PGlite only this process can
 * open the database, so the PostConfirmation trigger (in the IdP's process) writes the user's row
 * here, with the same idempotent upsert it uses against Postgres, and the PreTokenGeneration trigger
 * reads the user's plan from `/_internal/users/:sub` (ADR 0189). Mounted only when the start
 * wiring set INTERNAL_PROVISIONING_TOKEN (production refuses it); answers loopback callers with the
 * token, 404 to everyone else; not in the API's published contract.
 */
export default async function internalRoutes(app: FastifyInstance, opts: { token: string }) {
  const token = digest(opts.token);
  // Before the body is read: a stranger learns nothing, not even the body's shape.
  const onlyTheFunctions = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!allowed(req, token)) return reply.code(404).send();
  };
  app.post<{ Body: { sub: string; username: string; email?: string | null; name?: string | null } }>(
    '/users',
    {
      schema: { hide: true, body: ProvisionedUser },
      onRequest: onlyTheFunctions,
    },
    async (req, reply) => {
      const { sub, username, email = null, name = null } = req.body;
      await upsertSyncedUser(app.db, { sub, username, email, name });
      return reply.code(204).send();
    },
  );
  // `plan` is null while the user has no row (the trigger then answers the default, "free").
  app.get<{ Params: { sub: string } }>(
    '/users/:sub',
    {
      schema: {
        hide: true,
        params: {
          type: 'object',
          required: ['sub'],
          properties: { sub: { type: 'string', minLength: 1, maxLength: 128 } },
        },
      },
      onRequest: onlyTheFunctions,
    },
    async (req) => ({ plan: await planOf(app.db, req.params.sub) }),
  );
}
