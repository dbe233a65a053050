import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStub, json } from '../../test/http-stub.ts';
import { MemoryStorage } from '../../test/memory-storage.ts';
import type { AuthError } from './errors.ts';
import { HostedSignIn } from './hosted.ts';

// The protocol's checks. The whole round trip against the real IdP's managed login is in
// e2e/tests/hosted-sign-in.test.ts; this stub stands in only for answers the IdP never gives
// (an ID token for another nonce).
let stub: Awaited<ReturnType<typeof httpStub>>;
beforeAll(async () => {
  stub = await httpStub((_req, res) => json(res, 500, {}));
});
afterAll(() => stub.close());

const jwt = (claims: Record<string, unknown>) =>
  `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

function hosted(tab = new MemoryStorage()) {
  const config = {
    url: stub.url,
    scopes: ['openid', 'email'],
    redirectSignIn: ['http://localhost:5173/auth/callback', 'http://127.0.0.1:5173/auth/callback'],
    redirectSignOut: ['http://localhost:5173/', 'http://127.0.0.1:5173/'],
  };
  return { tab, flow: new HostedSignIn(config, 'client-1', tab, 'http://127.0.0.1:5173') };
}

async function started(h = hosted()) {
  const url = new URL(await h.flow.authorizeUrl({ keepSignedIn: false, returnTo: '/profile' }));
  return { ...h, url, state: url.searchParams.get('state')! };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: AuthError) => err,
  );

describe('HostedSignIn', () => {
  it('asks for a code with PKCE S256, state and nonce, returning to the callback on its own origin', async () => {
    const { url, tab } = await started();
    expect(`${url.origin}${url.pathname}`).toBe(`${stub.url}/oauth2/authorize`);
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe('client-1');
    expect(q.get('scope')).toBe('openid email');
    expect(q.get('redirect_uri')).toBe('http://127.0.0.1:5173/auth/callback');
    expect(q.get('code_challenge_method')).toBe('S256');
    const pending = JSON.parse([...tab.data.values()][0]!) as { verifier: string; nonce: string };
    expect(pending.verifier).toMatch(/^[\w-]{43}$/);
    expect(q.get('code_challenge')).toBe(createHash('sha256').update(pending.verifier).digest('base64url'));
    expect(q.get('nonce')).toBe(pending.nonce);
    expect(q.get('state')).not.toBe(pending.nonce);
  });

  it('names an external provider with identity_provider, so the managed login goes straight to it', async () => {
    const h = hosted();
    const url = new URL(
      await h.flow.authorizeUrl({ keepSignedIn: false, returnTo: '/', identityProvider: 'MockGoogle' }),
    );
    expect(url.searchParams.get('identity_provider')).toBe('MockGoogle');
    expect((await started()).url.searchParams.has('identity_provider')).toBe(false);
  });

  it('refuses an answer with another state, and any answer once the request is used', async () => {
    const { flow, state } = await started();
    const wrong = await failure(flow.complete(`http://127.0.0.1:5173/auth/callback?code=c&state=other`));
    expect(wrong).toMatchObject({ code: 'StateMismatch' });
    // The request was used up by that answer: even the right state is now refused.
    const again = await failure(flow.complete(`http://127.0.0.1:5173/auth/callback?code=c&state=${state}`));
    expect(again).toMatchObject({ code: 'StateMismatch' });
  });

  it("puts the managed login's error and the token endpoint's refusal in plain words", async () => {
    let h = await started();
    const denied = await failure(
      h.flow.complete(`http://127.0.0.1:5173/auth/callback?error=access_denied&state=${h.state}`),
    );
    expect(denied).toMatchObject({ code: 'access_denied', message: expect.stringMatching(/cancelled/) });
    stub.setHandler((_req, res) => json(res, 400, { error: 'invalid_grant' }));
    h = await started();
    const expired = await failure(
      h.flow.complete(`http://127.0.0.1:5173/auth/callback?code=c&state=${h.state}`),
    );
    expect(expired).toMatchObject({
      code: 'invalid_grant',
      message: expect.stringMatching(/no longer valid/),
    });
  });

  it('refuses tokens whose ID token was made for another nonce or client, and returns the rest', async () => {
    const h = await started();
    const pending = JSON.parse([...h.tab.data.values()][0]!) as { nonce: string };
    let body = '';
    const answer = (idClaims: Record<string, unknown>) =>
      stub.setHandler((req, res) => {
        req.on('data', (c) => {
          body += c;
        });
        req.on('end', () =>
          json(res, 200, {
            id_token: jwt(idClaims),
            access_token: 'a',
            refresh_token: 'r',
            token_type: 'Bearer',
          }),
        );
      });
    answer({ nonce: 'someone else', aud: 'client-1' });
    const foreign = await failure(
      h.flow.complete(`http://127.0.0.1:5173/auth/callback?code=c1&state=${h.state}`),
    );
    expect(foreign).toMatchObject({ code: 'NonceMismatch' });

    const next = await started(h);
    const nonce = (JSON.parse([...h.tab.data.values()][0]!) as { nonce: string }).nonce;
    expect(nonce).not.toBe(pending.nonce);
    answer({ nonce, aud: 'client-1' });
    body = '';
    const done = await next.flow.complete(`http://127.0.0.1:5173/auth/callback?code=c2&state=${next.state}`);
    expect(done).toMatchObject({
      keepSignedIn: false,
      returnTo: '/profile',
      tokens: { accessToken: 'a', refreshToken: 'r' },
    });
    const sent = new URLSearchParams(body);
    expect(sent.get('grant_type')).toBe('authorization_code');
    expect(sent.get('code')).toBe('c2');
    expect(sent.get('redirect_uri')).toBe('http://127.0.0.1:5173/auth/callback');
    expect(sent.get('code_verifier')).toMatch(/^[\w-]{43}$/);
  });

  it('signs out through /logout with the sign-out URL on its own origin', () => {
    const url = new URL(hosted().flow.logoutUrl());
    expect(`${url.origin}${url.pathname}`).toBe(`${stub.url}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'client-1',
      logout_uri: 'http://127.0.0.1:5173/',
    });
  });
});
