import type { IncomingMessage, ServerResponse } from 'node:http';
import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAuthService } from '../../test/fake-auth.ts';
import { httpStub, json } from '../../test/http-stub.ts';
import { renderApp } from '../../test/render.tsx';
import { REVOKE_TIMEOUT_MS } from '../auth/AuthProvider.tsx';

/** Records, in one timeline, what the API stub saw and when the Cognito layer was asked to sign out. */
class RecordingAuth extends FakeAuthService {
  constructor(readonly events: string[]) {
    super();
  }
  override async signOut() {
    this.events.push('cognito:signOut');
    await super.signOut();
  }
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A signed-in app on the dashboard whose API answers the item list, and `revoke` for the revoke call. */
async function signedInApp(revoke: (req: IncomingMessage, res: ServerResponse) => void) {
  const events: string[] = [];
  const stub = await httpStub((req, res) => {
    if (req.url === '/api/v1/auth/sign-out') {
      events.push(`api:${req.method} ${req.url} ${req.headers.authorization}`);
      return revoke(req, res);
    }
    json(res, 200, { items: [], total: 0, limit: 10, offset: 0 });
  });
  close = stub.close;
  const auth = new RecordingAuth(events);
  auth.addUser({ email: 'sam@example.com', password: 'long enough password', name: 'Sam' });
  await auth.signIn('sam@example.com', 'long enough password');
  const view = renderApp(auth, '/', stub.url);
  await screen.findByText('No items yet. Add your first one above.');
  return { auth, events, ...view };
}

const problem = (status: number) => ({ type: 'about:blank', title: 'x', status });

describe('"Sign out" in the header (this device)', () => {
  it('revokes the session in the API with the current access token, then at Cognito, then shows sign-in', async () => {
    const { auth, events, user } = await signedInApp((_req, res) => res.writeHead(204).end());
    expect(events).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(events).toEqual(['api:POST /api/v1/auth/sign-out Bearer access-1', 'cognito:signOut']);
    expect(auth.session).toBeNull();
    expect(auth.refreshCount).toBe(0);
  });

  it.each([
    [500, 'the API fails'],
    [401, 'the API already refuses the token'],
    [503, 'revocation is unavailable'],
  ])('still signs out locally when %i (%s), without a refresh or a session-ended notice', async (status) => {
    const { auth, events, user } = await signedInApp((_req, res) =>
      json(res, status, problem(status), 'application/problem+json'),
    );
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(events).toEqual(['api:POST /api/v1/auth/sign-out Bearer access-1', 'cognito:signOut']);
    expect(auth.session).toBeNull();
    expect(auth.refreshCount).toBe(0);
    expect(screen.queryByText('Your session has ended. Please sign in again.')).not.toBeInTheDocument();
  });

  it('still signs out locally when the API cannot be reached', async () => {
    const { auth, events, user } = await signedInApp((req) => req.socket.destroy());
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(events).toEqual(['api:POST /api/v1/auth/sign-out Bearer access-1', 'cognito:signOut']);
    expect(auth.session).toBeNull();
  });

  it(`waits at most ${REVOKE_TIMEOUT_MS} ms for a silent API, aborts the call and signs out; one call per click`, async () => {
    let aborted = false;
    const { auth, events, user } = await signedInApp((req, res) => {
      // Never answers; notices when the browser gives up on the request.
      res.on('close', () => {
        if (!res.writableEnded) aborted = true;
      });
      void req;
    });
    const started = Date.now();
    const button = screen.getByRole('button', { name: 'Sign out' });
    await user.click(button);
    // While the API is asked, the button cannot start a second sign-out.
    expect(button).toBeDisabled();
    await user.click(button);
    expect(auth.session).not.toBeNull();
    expect(await screen.findByRole('heading', { name: 'Sign in' }, { timeout: 10_000 })).toBeInTheDocument();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(REVOKE_TIMEOUT_MS - 100);
    expect(elapsed).toBeLessThan(REVOKE_TIMEOUT_MS + 3_000);
    expect(events).toEqual(['api:POST /api/v1/auth/sign-out Bearer access-1', 'cognito:signOut']);
    expect(auth.session).toBeNull();
    await waitFor(() => expect(aborted).toBe(true));
  });
});
