import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAuthService } from '../../test/fake-auth.ts';
import { httpStub, json } from '../../test/http-stub.ts';
import { renderApp } from '../../test/render.tsx';

const problem = (status: number, title: string, detail?: string) => ({
  type: 'about:blank',
  title,
  status,
  ...(detail ? { detail } : {}),
  request_id: 'req-1',
});

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function signedIn(groups: string[] = []) {
  const auth = new FakeAuthService();
  auth.addUser({ email: 'pat@example.com', password: 'long enough password', name: 'Pat Doe', groups });
  await auth.signIn('pat@example.com', 'long enough password');
  return auth;
}

describe('dashboard loading and error states', () => {
  it('shows the server problem with a retry, then the empty state', async () => {
    const stub = await httpStub((_req, res) =>
      json(
        res,
        503,
        problem(503, 'Service Unavailable', 'The database is not reachable.'),
        'application/problem+json',
      ),
    );
    close = stub.close;
    const { user } = renderApp(await signedIn(), '/', stub.url);
    expect(await screen.findByRole('alert')).toHaveTextContent('The database is not reachable.');
    expect(screen.getByText('Welcome, Pat.')).toBeInTheDocument();

    const auths: (string | undefined)[] = [];
    stub.setHandler((req, res) => {
      auths.push(req.headers.authorization);
      json(res, 200, { items: [], total: 0, limit: 10, offset: 0 });
    });
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No items yet. Add your first one above.')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(auths).toEqual(['Bearer access-1']);
  });

  it('asks for a title before calling the API', async () => {
    let posts = 0;
    const stub = await httpStub((req, res) => {
      if (req.method === 'POST') posts++;
      json(res, 200, { items: [], total: 0, limit: 10, offset: 0 });
    });
    close = stub.close;
    const { user } = renderApp(await signedIn(), '/', stub.url);
    await screen.findByText('No items yet. Add your first one above.');
    await user.type(screen.getByLabelText('Title'), '   ');
    await user.click(screen.getByRole('button', { name: 'Add item' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Give the item a title.');
    expect(posts).toBe(0);
  });

  it('ends the session when the API keeps answering 401', async () => {
    const stub = await httpStub((_req, res) => {
      res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
      json(res, 401, problem(401, 'Unauthorized'), 'application/problem+json');
    });
    close = stub.close;
    const auth = await signedIn();
    renderApp(auth, '/', stub.url);
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByText('Your session has ended. Please sign in again.')).toBeInTheDocument();
    // One refresh was tried before giving up.
    expect(auth.refreshCount).toBe(1);
  });
});

describe('admin page', () => {
  it('explains "not allowed" when the API refuses even though the token said admin', async () => {
    const stub = await httpStub((_req, res) =>
      json(res, 403, problem(403, 'Forbidden', 'Requires group admin'), 'application/problem+json'),
    );
    close = stub.close;
    renderApp(await signedIn(['admin']), '/admin', stub.url);
    expect(await screen.findByRole('heading', { name: 'Not allowed' })).toBeInTheDocument();
  });
});
