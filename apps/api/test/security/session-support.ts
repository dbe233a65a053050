/**
 * Helpers for the "sessions really end" files: sign in through the API, and talk to the IdP directly
 * with the real AWS SDK — as an attacker holding a stolen refresh token would.
 */
import { secretHash } from '@app/cognito-srp';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { client } from '../auth-flows/helpers.ts';
import type { TestIdp } from '../support/index.ts';

export type Tokens = { access_token: string; id_token: string; refresh_token: string };
export type Who = { email: string; password: string };

export const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

export async function login(app: FastifyInstance, who: Who): Promise<Tokens> {
  const res = await client(app).post('login', { email: who.email, password: who.password });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Tokens;
}

/** GET /users/me with the token: 200 while the session lives, 401 once it ended. */
export async function meStatus(app: FastifyInstance, accessToken: string): Promise<number> {
  return (await client(app).get('/users/me', accessToken)).statusCode;
}

export function api(app: FastifyInstance, token: string) {
  const send = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  return {
    get: (url: string) => send('GET', url),
    post: (url: string, payload?: object) => send('POST', url, payload),
    del: (url: string) => send('DELETE', url),
  };
}

export function expectProblem(res: LightMyRequestResponse, status: number, detail?: string | RegExp) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as { status: number; detail: string };
  expect(body.status).toBe(status);
  if (detail !== undefined) expect(body.detail).toMatch(detail);
}

/** The IdP itself, through the SDK and the backend client (with its secret). */
export function idpDirect(idp: TestIdp) {
  const cognito = new CognitoIdentityProviderClient({
    region: idp.pool.region,
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const backend = idp.pool.clients.backend!;
  return {
    cognito,
    /** 'ok' when the refresh token still mints tokens at the IdP, else the IdP's error name. */
    async refresh(tokens: Tokens): Promise<string> {
      const username = String(claims(tokens.access_token).username);
      try {
        const out = await cognito.send(
          new InitiateAuthCommand({
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            ClientId: backend.clientId,
            AuthParameters: {
              REFRESH_TOKEN: tokens.refresh_token,
              SECRET_HASH: secretHash(username, backend.clientId, backend.clientSecret!),
            },
          }),
        );
        return out.AuthenticationResult?.AccessToken ? 'ok' : 'no tokens';
      } catch (err) {
        return (err as Error).name;
      }
    },
    /** What a client does at sign-out without telling the API: RevokeToken at the IdP. */
    async revoke(tokens: Tokens): Promise<void> {
      await cognito.send(
        new RevokeTokenCommand({
          Token: tokens.refresh_token,
          ClientId: backend.clientId,
          ClientSecret: backend.clientSecret!,
        }),
      );
    },
    close: () => cognito.destroy(),
  };
}
