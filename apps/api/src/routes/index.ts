import type { FastifyInstance } from 'fastify';

/** Mounted by app.ts under /api/v1: auth, users, items, admin (filled in by the api-data part). */
export default async function routes(_app: FastifyInstance): Promise<void> {}
