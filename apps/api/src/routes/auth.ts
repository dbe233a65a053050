import { createHash } from 'node:crypto';
import {
  ChallengeBody,
  ChangePasswordBody,
  ChangePasswordResponse,
  LoginBody,
  MessageResponse,
  RefreshBody,
  RegisterBody,
  RequestOtpBody,
  ResetPasswordBody,
  SignInResponse,
  SignOutBody,
  TokenResponse,
  VerifyOtpBody,
} from '@app/api-contract';
import { normaliseEmail } from '@app/pool-definition/email';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser } from '../auth/deps.ts';
import { rateLimit } from '../plugins/app/rate-limit.ts';
import { OPTIONAL_BODY } from '../plugins/external/swagger.ts';
import type { AuthService } from '../services/cognito/auth.ts';
import type { SessionFlows } from '../services/cognito/session-flows.ts';
import { noContent, PROBLEMS, problems, security } from './openapi.ts';
import type { ContractTypeProvider } from './type-provider.ts';

const byIp = (req: FastifyRequest) => req.ip;
const byEmail = (req: FastifyRequest) => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? normaliseEmail(email) : undefined;
};
const bySub = (req: FastifyRequest) => req.user?.sub;
/** Refresh: the account (e-mail) when sent, else the refresh token itself (one session). */
const byRefreshAccount = (req: FastifyRequest) => {
  const body = req.body as { email?: unknown; refresh_token?: unknown } | undefined;
  if (typeof body?.email === 'string') return normaliseEmail(body.email);
  if (typeof body?.refresh_token === 'string')
    return `token:${createHash('sha256').update(body.refresh_token).digest('base64url')}`;
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

/** Public auth routes with a body: bad input, the rate limits, the IdP's failures. */
const publicProblems = problems(...PROBLEMS.body, ...PROBLEMS.idp, ...PROBLEMS.always);
/** The same behind requireUser. */
const signedInProblems = problems(
  ...PROBLEMS.body,
  ...PROBLEMS.signedIn,
  ...PROBLEMS.idp,
  ...PROBLEMS.always,
);

// Tokens must never be cached by a proxy or the client (RFC 6749 §5.1).
const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** Backend auth endpoints for clients that are not browsers (ADR 0042). */
export default async function authRoutes(
  root: FastifyInstance,
  opts: { auth: AuthService; sessions: SessionFlows },
) {
  const app = root.withTypeProvider<ContractTypeProvider>();
  const { auth, sessions } = opts;
  const tags = ['auth'];

  /** reset-password, and verify-otp with purpose password_reset (seed 003's reset, ADR 0107). */
  async function resetPassword(body: ResetPasswordBody): Promise<string> {
    const message = await auth.resetPassword(body);
    // Every session of the account ends; answered once a new sign-in cannot fall in the cut-off (ADR 0070).
    await sessions.afterPasswordReset(normaliseEmail(body.email));
    return message;
  }

  app.post(
    '/register',
    {
      preHandler: limits('register', [10, 60], [5, 3600]),
      schema: {
        tags,
        summary: 'Create an account: a 6-digit code is mailed to confirm the address',
        description:
          'Seed 003’s sign-up: first and last name, e-mail, password and `accept_terms: true`. Always 202 with the same words, whether or not the address already has an account (no enumeration); an unconfirmed holder of the address is replaced. Confirm with `/auth/verify-otp`. Public.',
        body: RegisterBody,
        response: { 202: MessageResponse, ...publicProblems },
      },
    },
    async (req, reply) => reply.code(202).send({ message: await auth.register(req.body) }),
  );

  app.post(
    '/verify-otp',
    {
      preHandler: limits('verify-otp', [30, 60], [10, 900]),
      schema: {
        tags,
        summary: 'Enter a mailed code: confirm the sign-up, or set a new password',
        description:
          '`purpose: "email_verification"` (or none) confirms the sign-up (send the `password` chosen then: the code only confirms the account whose password comes with it); `purpose: "password_reset"` sets `new_password` and ends every session of the account. A wrong or expired code is a 400. Public.',
        body: VerifyOtpBody,
        response: { 200: MessageResponse, ...publicProblems },
      },
    },
    async (req) => ({
      message:
        req.body.purpose === 'password_reset'
          ? await resetPassword(auth.resetBodyOf(req.body))
          : await auth.verifyOtp(req.body),
    }),
  );

  app.post(
    '/request-otp',
    {
      preHandler: limits('request-otp', [10, 60], [5, 900]),
      schema: {
        tags,
        summary: 'Mail a code again: for the sign-up, or to reset a forgotten password',
        description:
          'Always 202 with the same words, whether or not the address has an account (no enumeration). Only the newest code works. Rate-limited per IP and per address. Public.',
        body: RequestOtpBody,
        response: { 202: MessageResponse, ...publicProblems },
      },
    },
    async (req, reply) => reply.code(202).send({ message: await auth.requestOtp(req.body) }),
  );

  app.post(
    '/reset-password',
    {
      preHandler: limits('reset-password', [30, 60], [10, 900]),
      schema: {
        tags,
        summary: 'Set a new password with the mailed reset code',
        description:
          'The code from `/auth/request-otp` (`purpose: "password_reset"`) and the new password, which must meet the pool’s policy and not be a common password. Every session of the account ends. Public.',
        body: ResetPasswordBody,
        response: { 200: MessageResponse, ...publicProblems },
      },
    },
    async (req) => ({ message: await resetPassword(req.body) }),
  );

  app.post(
    '/login',
    {
      preHandler: limits('login', [30, 60], [10, 60]),
      schema: {
        tags,
        summary:
          'Sign in: tokens, or a step (`challenge_name`: MFA, NEW_PASSWORD_REQUIRED, or SELECT_CHALLENGE when no password is sent) to answer at /auth/challenge',
        description:
          'E-mail and password (USER_PASSWORD_AUTH or SRP on the server’s side, never stored). The `access_token` of the answer is the bearer token for every guarded route (press Authorize in /docs and paste it). 401 for a wrong address or password alike. Public.',
        body: LoginBody,
        response: { 200: SignInResponse, ...publicProblems, ...problems(401, 403) },
      },
    },
    async (req, reply) => reply.headers(noStore).send(await auth.login(req.body)),
  );

  app.post(
    '/challenge',
    {
      // Like login: a code is a second password (ADR 0118).
      preHandler: limits('challenge', [30, 60], [10, 60]),
      schema: {
        tags,
        summary:
          'Answer a step of a sign-in (MFA code, new password, first-factor choice): tokens, or the next step',
        description:
          'Send back the `session` of the previous answer with the `challenge_name` and the field it asked for (`code`, `new_password`, or `answer` to a choice). Answers tokens or the next step. A wrong code is a 401; the session is good for a few minutes. Public.',
        body: ChallengeBody,
        response: { 200: SignInResponse, ...publicProblems, ...problems(401, 403) },
      },
    },
    async (req, reply) => reply.headers(noStore).send(await auth.challenge(req.body)),
  );

  app.post(
    '/refresh',
    {
      // Per account too, so many machines cannot probe or hammer one account's refreshes (ADR 0073).
      preHandler: [
        ...limits('refresh', [60, 60]),
        rateLimit({ name: 'refresh:account', max: 20, windowSeconds: 900, key: byRefreshAccount }),
      ],
      schema: {
        tags,
        summary: 'New access and ID tokens from a refresh token',
        description:
          'The `refresh_token` of a sign-in (and the `email`, needed by a client with a secret). A refresh token of a session that was signed out, here or everywhere, is refused (401). Public.',
        body: RefreshBody,
        response: { 200: TokenResponse, ...publicProblems, ...problems(401) },
      },
    },
    async (req, reply) => {
      const tokens = await auth.refresh(req.body);
      // A session this API revoked gets nothing, even if its refresh token still works at the IdP.
      await sessions.refuseRevoked(tokens, req.body.refresh_token);
      return reply.headers(noStore).send(tokens);
    },
  );

  // Sign out THIS session only (ADR 0070, 0106): the caller's origin_jti (every access token of this
  // sign-in, refreshes included) and jti are refused from now on; other sessions of the user are
  // untouched. A refresh token in the body is revoked at the IdP too; /refresh refuses the session either way.
  app.post(
    '/sign-out',
    {
      // The body is optional (a client may hold no refresh token): a missing one reads as {}.
      preValidation: async (req) => {
        req.body ??= {};
      },
      // Per IP before the token is checked, so a flood of bad tokens is throttled too.
      preHandler: [...limits('sign-out', [60, 60]), requireUser()],
      schema: {
        tags,
        security,
        summary: 'Sign out this session: its access tokens here and its refresh token at the IdP',
        description:
          'Every access token of this sign-in (refreshes included) is refused from now on; other sessions of the user are untouched. Send the `refresh_token` to have it revoked at the IdP too.',
        body: SignOutBody,
        [OPTIONAL_BODY]: true,
        response: { ...noContent('This session has ended.'), ...signedInProblems },
      },
    },
    async (req, reply) => {
      await sessions.signOut(req.user, req.body.refresh_token);
      return reply.code(204).send();
    },
  );

  app.post(
    '/sign-out-everywhere',
    {
      // Per IP before the token is checked, like /sign-out: each call reaches the IdP (GlobalSignOut).
      preHandler: [...limits('sign-out-everywhere', [60, 60]), requireUser()],
      schema: {
        tags,
        security,
        summary: 'Sign out every session of the user, on every device',
        description:
          'A global sign-out at the IdP (every refresh token dies) and a cut-off here: every access token issued before is refused at once, not when it expires.',
        response: {
          ...noContent('Every session of the user has ended.'),
          ...problems(...PROBLEMS.signedIn, ...PROBLEMS.idp, ...PROBLEMS.always),
        },
      },
    },
    async (req, reply) => {
      // IdP global sign-out (admin fallback) + a cut-off on the IdP's clock; 503 if the IdP is down (ADR 0070).
      await sessions.signOutEverywhere(req.user);
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
        summary: 'Change my password; every session ends and a fresh sign-in comes back',
        description:
          'The current password and the new one. A wrong current password is a 400 (not 401: the token is fine). Every session of the user ends, this one too; `tokens` is a new sign-in with the new password, so the caller stays signed in.',
        body: ChangePasswordBody,
        response: { 200: ChangePasswordResponse, ...signedInProblems },
      },
    },
    async (req, reply) => {
      await auth.changePassword(req.user.accessToken, req.body);
      // Every session ends, this one too; the caller gets a fresh sign-in with the new password.
      return reply.headers(noStore).send(await sessions.afterPasswordChange(req.user, req.body.new_password));
    },
  );
}
