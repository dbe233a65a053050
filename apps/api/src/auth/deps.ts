import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { bearerChallenge, forbidden, unauthorized } from '../errors.ts';
import { TokenMalformedError } from './token-errors.ts';
import type { AuthenticatedUser } from './user.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireUser/requireGroups/requireScopes; only read it on routes that declare one of them. */
    user: AuthenticatedUser;
  }
}

const BEARER = /^Bearer +([^\s]+) *$/i;

/** Verifies the bearer token and revocation, then sets `request.user`. Shared by every guard. */
async function authenticate(request: FastifyRequest): Promise<AuthenticatedUser> {
  if (request.user) return request.user;
  const header = request.headers.authorization;
  if (!header || !/^Bearer\b/i.test(header)) {
    // RFC 6750 §3.1: no credentials at all → a bare challenge, without an error code.
    throw unauthorized('A bearer access token is required.', { challenge: bearerChallenge() });
  }
  const match = BEARER.exec(header);
  if (!match) throw new TokenMalformedError('the Authorization header is not "Bearer <token>"');
  const app = request.server;
  // Failures are typed (TokenRejectedError subclasses, JwksUnavailableError, RevocationUnavailableError);
  // the one error handler answers them with 401 + challenge or 503 (ADR 0111).
  // A cached token skips verify's promise; revocation is asked on every request, cached or not.
  const user = app.verifier.cached(match[1]!) ?? (await app.verifier.verifyUncached(match[1]!));
  await app.revocation.assertNotRevoked(user);
  request.user = user;
  return user;
}

/** A machine (client-credentials) token on a route for people: valid, but not for this. */
async function authenticatePerson(request: FastifyRequest): Promise<AuthenticatedUser> {
  const user = await authenticate(request);
  if (user.kind === 'machine') {
    throw forbidden("This route needs a user's access token; client-credentials tokens are not accepted.", {
      challenge: bearerChallenge('insufficient_scope', 'requires a user token'),
    });
  }
  return user;
}

/** Guard: a valid, unrevoked Cognito access token of a user (machine tokens get 403). */
export function requireUser(): preHandlerAsyncHookHandler {
  return async function requireUserHook(request: FastifyRequest, _reply: FastifyReply) {
    await authenticatePerson(request);
  };
}

/** Guard: signed in and member of EVERY listed group (`cognito:groups`). */
export function requireGroups(...groups: string[]): preHandlerAsyncHookHandler {
  if (groups.length === 0) throw new Error('requireGroups needs at least one group');
  return async function requireGroupsHook(request: FastifyRequest, _reply: FastifyReply) {
    const user = await authenticatePerson(request);
    const missing = groups.filter((g) => !user.groups.includes(g));
    if (missing.length > 0) {
      const description = `requires group ${groups.join(', ')}`;
      throw forbidden('You are not allowed to do this.', {
        challenge: bearerChallenge('insufficient_scope', description),
      });
    }
  };
}

/**
 * Guard: the token carries EVERY listed OAuth scope — a user's token or a machine's (client
 * credentials); `request.user.kind` tells them apart.
 */
export function requireScopes(...scopes: string[]): preHandlerAsyncHookHandler {
  if (scopes.length === 0) throw new Error('requireScopes needs at least one scope');
  return async function requireScopesHook(request: FastifyRequest, _reply: FastifyReply) {
    const user = await authenticate(request);
    if (!scopes.every((s) => user.scopes.includes(s))) {
      throw forbidden('The access token lacks a required scope.', {
        challenge: bearerChallenge('insufficient_scope', 'insufficient scope', scopes.join(' ')),
      });
    }
  };
}
