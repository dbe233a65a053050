import { createHash } from 'node:crypto';
import {
  ChangePasswordBody,
  LoginBody,
  MessageResponse,
  RefreshBody,
  RegisterBody,
  RequestOtpBody,
  ResetPasswordBody,
  TokenResponse,
  VerifyOtpBody,
} from '@app/api-contract';
import { normaliseEmail } from '@app/pool-definition/email';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser } from '../auth/deps.ts';
import { serviceUnavailable } from '../errors.ts';
import { rateLimit } from '../plugins/app/rate-limit.ts';
import type { AuthService } from '../services/cognito/auth.ts';
import { security } from './openapi.ts';
import type { ContractTypeProvider } from './type-provider.ts';

const byIp = (req: FastifyRequest) => req.ip;
const byEmail = (req: FastifyRequest) => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? normaliseEmail(email) : undefined;
};
const bySub = (req: FastifyRequest) => req.user?.sub;
/** Refresh: the account (e-mail) when sent, else the refresh token itself (one session). */
const byRefreshAccount = (req: FastifyRequest) => {
  const body = req.body as { email?: unknown; refreshToken?: unknown } | undefined;
  if (typeof body?.email === 'string') return normaliseEmail(body.email);
  if (typeof body?.refreshToken === 'string')
    return `token:${createHash('sha256').update(body.refreshToken).digest('base64url')}`;
  return undefined;
};

/** Per IP (one machine spraying accounts) and per account (many machines on one account). */
function limits(name: string, perIp: [number, number], perAccount?: [number, number]) {
  return [
    rateLimit({ name: `${name}:ip`, max: perIp[0], windowSeconds: perIp[1], key: byIp }),
    ...(perAccount
      ? [
          rateLimit({
            name: `${name}:account`,
            max: perAccount[0],
            windowSeconds: perAccount[1],
            key: byEmail,
          }),
        ]
      : []),
  ];
}

// Tokens must never be cached by a proxy or the client (RFC 6749 §5.1).
const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** Backend auth endpoints for clients that are not browsers (ADR 0042). */
export default async function authRoutes(root: FastifyInstance, opts: { auth: AuthService }) {
  const app = root.withTypeProvider<ContractTypeProvider>();
  const { auth } = opts;
  const tags = ['auth'];

  app.post(
    '/register',
    {
      preHandler: limits('register', [10, 60], [5, 3600]),
      schema: { tags, body: RegisterBody, response: { 202: MessageResponse } },
    },
    async (req, reply) => reply.code(202).send({ message: await auth.register(req.body) }),
  );

  app.post(
    '/verify-otp',
    {
      preHandler: limits('verify-otp', [30, 60], [10, 900]),
      schema: { tags, body: VerifyOtpBody, response: { 200: MessageResponse } },
    },
    async (req) => ({ message: await auth.verifyOtp(req.body) }),
  );

  app.post(
    '/request-otp',
    {
      preHandler: limits('request-otp', [10, 60], [5, 900]),
      schema: { tags, body: RequestOtpBody, response: { 202: MessageResponse } },
    },
    async (req, reply) => reply.code(202).send({ message: await auth.requestOtp(req.body) }),
  );

  app.post(
    '/reset-password',
    {
      preHandler: limits('reset-password', [30, 60], [10, 900]),
      schema: { tags, body: ResetPasswordBody, response: { 200: MessageResponse } },
    },
    async (req) => ({ message: await auth.resetPassword(req.body) }),
  );

  app.post(
    '/login',
    {
      preHandler: limits('login', [30, 60], [10, 60]),
      schema: { tags, body: LoginBody, response: { 200: TokenResponse } },
    },
    async (req, reply) => reply.headers(noStore).send(await auth.login(req.body)),
  );

  app.post(
    '/refresh',
    {
      // Per account too, so many machines cannot probe or hammer one account's refreshes (ADR 0073).
      preHandler: [
        ...limits('refresh', [60, 60]),
        rateLimit({ name: 'refresh:account', max: 20, windowSeconds: 900, key: byRefreshAccount }),
      ],
      schema: { tags, body: RefreshBody, response: { 200: TokenResponse } },
    },
    async (req, reply) => reply.headers(noStore).send(await auth.refresh(req.body)),
  );

  app.post(
    '/logout',
    // Per IP before the token is checked, like /revoke: each call reaches Cognito (GlobalSignOut).
    { preHandler: [...limits('logout', [60, 60]), requireUser()], schema: { tags, security } },
    async (req, reply) => {
      const user = req.user;
      const reachedIdp = await auth.globalSignOut(user.accessToken);
      // Cognito keeps accepting issued access tokens until they expire; this API refuses them now:
      // this token and its refreshes (origin_jti), and every older token of the user (global sign-out).
      await app.revocation.revokeToken({ originJti: user.originJti, jti: user.jti, exp: user.exp });
      await app.revocation.revokeUserBefore(user.sub, Math.floor(Date.now() / 1000));
      if (!reachedIdp) {
        throw serviceUnavailable(
          'Signed out of this API, but the identity provider could not be reached to revoke refresh tokens.',
        );
      }
      return reply.code(204).send();
    },
  );

  // Sign out THIS session only (ADR 0049): the caller's origin_jti (every access token of this sign-in,
  // refreshes included) and jti are refused from now on; other sessions of the user are untouched.
  // The refresh token is the client's to revoke at Cognito (RevokeToken); this route does not call it.
  app.post(
    '/revoke',
    {
      // Per IP before the token is checked, so a flood of bad tokens is throttled too.
      preHandler: [...limits('revoke', [60, 60]), requireUser()],
      schema: {
        tags,
        security,
        summary: 'Sign out this session: this API refuses its access tokens at once',
      },
    },
    async (req, reply) => {
      const { originJti, jti, exp } = req.user;
      await app.revocation.revokeToken({ originJti, jti, exp });
      return reply.code(204).send();
    },
  );

  app.post(
    '/change-password',
    {
      preHandler: [
        requireUser(),
        rateLimit({ name: 'change-password:user', max: 5, windowSeconds: 900, key: bySub }),
      ],
      schema: {
        tags,
        security,
        body: ChangePasswordBody,
        response: { 200: MessageResponse },
      },
    },
    async (req) => ({ message: await auth.changePassword(req.user.accessToken, req.body) }),
  );
}
