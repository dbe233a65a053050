import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp();
});
afterAll(() => t.close());

const call = (target: string | undefined, body: string) =>
  fetch(t.idp.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      ...(target ? { 'X-Amz-Target': `AWSCognitoIdentityProviderService.${target}` } : {}),
    },
    body,
  });

describe('JSON 1.1 protocol and the plain HTTP endpoints', () => {
  it("answers Cognito's error shape: 400, __type, message, x-amzn-ErrorType, x-amzn-RequestId", async () => {
    const res = await call(
      'ForgotPassword',
      JSON.stringify({ ClientId: 'nothere', Username: 'a@example.com' }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(res.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException:');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({
      __type: 'ResourceNotFoundException',
      message: 'User pool client nothere does not exist.',
    });
  });

  it('names an operation it does not implement, never a 500', async () => {
    const res = await call('StartUserImportJob', '{}');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { __type: string; message: string };
    expect(body.__type).toBe('UnknownOperationException');
    expect(body.message).toContain('StartUserImportJob');
    expect((await call(undefined, '{}')).status).toBe(400);
    expect((await call('constructor', '{}')).status).toBe(400);
  });

  it('rejects malformed JSON and missing members with clear errors', async () => {
    const bad = await call('SignUp', '{not json');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { __type: string }).__type).toBe('SerializationException');
    const missing = await call('SignUp', JSON.stringify({ Username: 'a@example.com' }));
    const body = (await missing.json()) as { __type: string; message: string };
    expect(body.__type).toBe('InvalidParameterException');
    expect(body.message).toContain("'clientId'");
    const wrongType = await call('SignUp', JSON.stringify({ ClientId: 42, Username: 'a@example.com' }));
    expect(((await wrongType.json()) as { __type: string }).__type).toBe('InvalidParameterException');
  });

  it('serves /health, the dev mailbox as JSON (newest first) and HTML, and 404 elsewhere', async () => {
    expect(await (await fetch(`${t.idp.url}/health`)).json()).toEqual({ status: 'ok' });
    const email = uniqueEmail('mailbox');
    await call(
      'SignUp',
      JSON.stringify({ ClientId: t.web.clientId, Username: email, Password: 'long enough password' }),
    );
    t.clock.advance(1000);
    await call('ResendConfirmationCode', JSON.stringify({ ClientId: t.web.clientId, Username: email }));
    const { messages } = (await (
      await fetch(`${t.idp.url}/_dev/mailbox?to=${encodeURIComponent(email)}`)
    ).json()) as {
      messages: Array<{
        id: string;
        to: string;
        kind: string;
        subject: string;
        body: string;
        code: string;
        createdAt: string;
      }>;
    };
    expect(messages).toHaveLength(2);
    expect(Object.keys(messages[0]!).sort()).toEqual([
      'body',
      'code',
      'createdAt',
      'id',
      'kind',
      'subject',
      'to',
    ]);
    expect(messages[0]!.createdAt > messages[1]!.createdAt).toBe(true);
    // The resend replaced the first code: only the newest one confirms.
    const confirm = (code: string) =>
      call(
        'ConfirmSignUp',
        JSON.stringify({ ClientId: t.web.clientId, Username: email, ConfirmationCode: code }),
      );
    if (messages[1]!.code !== messages[0]!.code) expect((await confirm(messages[1]!.code)).status).toBe(400);
    expect((await confirm(messages[0]!.code)).status).toBe(200);

    const html = await fetch(`${t.idp.url}/_dev/mailbox?to=${encodeURIComponent(email)}`, {
      headers: { Accept: 'text/html' },
    });
    expect(html.headers.get('content-type')).toContain('text/html');
    const page = await html.text();
    expect(page).toContain(messages[0]!.code);
    // A way back, a copy button for the live code, the replaced code marked as superseded.
    expect(page).toContain('href="/"');
    expect(page).not.toContain('javascript:');
    expect(page).toContain(`data-code="${messages[0]!.code}"`);
    expect(page).not.toContain(`data-code="${messages[1]!.code}"`);
    expect(page.match(/class="superseded"/g)).toHaveLength(1);
    expect((await fetch(`${t.idp.url}/nowhere`)).status).toBe(404);

    // Opened from the app (a new tab): "Back to the app" names the page it came from, kept by the filter.
    const app = 'http://localhost:5173/confirm?email=a%40example.com';
    const linked = await (
      await fetch(
        `${t.idp.url}/_dev/mailbox?to=${encodeURIComponent(email)}&back=${encodeURIComponent(app)}`,
        {
          headers: { Accept: 'text/html' },
        },
      )
    ).text();
    expect(linked).toContain(`<a id="back" href="${app.replace('&', '&amp;')}">← Back to the app</a>`);
    expect(linked).toContain(`<input type="hidden" name="back" value="${app}">`);
    // Only an http(s) address becomes a link.
    const hostile = await (
      await fetch(`${t.idp.url}/_dev/mailbox?back=${encodeURIComponent('javascript:alert(1)')}`, {
        headers: { Accept: 'text/html' },
      })
    ).text();
    expect(hostile).not.toContain('Back to the app');
    expect(hostile).not.toContain('alert(1)');
  });

  it('answers GET / with a page naming the dev mailbox and the discovery URL', async () => {
    const res = await fetch(`${t.idp.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    expect(page).toContain('href="/_dev/mailbox"');
    const discovery = `${t.idp.url}/${t.idp.pool.poolId}/.well-known/openid-configuration`;
    expect(page).toContain(discovery);
    expect((await fetch(discovery)).status).toBe(200);
  });

  it('reads a null AuthParameters entry as absent, as Cognito does (the library sends DEVICE_KEY: null)', async () => {
    const email = uniqueEmail('nullparam');
    const pool = t.idp.pool.poolId;
    await t.cognito.send(
      new AdminCreateUserCommand({ UserPoolId: pool, Username: email, MessageAction: 'SUPPRESS' }),
    );
    await t.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool,
        Username: email,
        Password: poolPassword,
        Permanent: true,
      }),
    );
    const signedIn = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: t.backend.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: poolPassword, SECRET_HASH: t.secretHash(email) },
      }),
    );
    const refresh = (deviceKey: unknown) =>
      call(
        'InitiateAuth',
        JSON.stringify({
          ClientId: t.backend.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: {
            REFRESH_TOKEN: signedIn.AuthenticationResult!.RefreshToken,
            SECRET_HASH: t.secretHash(email),
            DEVICE_KEY: deviceKey,
          },
        }),
      );
    const ok = await refresh(null);
    expect(ok.status).toBe(200);
    expect(
      ((await ok.json()) as { AuthenticationResult: { AccessToken: string } }).AuthenticationResult
        .AccessToken,
    ).toMatch(/^eyJ/);
    // Anything else that is not a string is still refused with Cognito's error shape.
    const bad = await refresh(42);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { __type: string }).__type).toBe('InvalidParameterException');
  });
});
