import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Item } from '@app/api-contract';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAuthService } from '../../test/fake-auth.ts';
import { httpStub, json } from '../../test/http-stub.ts';
import { AppProviders } from '../App.tsx';
import { Attachments } from './Attachments.tsx';
import { REFRESH_BEFORE_EXPIRY_MS, type RefreshScheduler } from './fresh-downloads.ts';
import { RequireAuth } from './RequireAuth.tsx';

const item: Item = {
  id: '6f1c1d6e-8f0a-4c43-9d1a-5b0c2f0e9a11',
  title: 'Holiday',
  description: '',
  done: false,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  version: 1,
};

const problem = (res: ServerResponse, status: number, title: string, detail: string) =>
  json(res, status, { type: 'about:blank', title, status, detail }, 'application/problem+json');

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/**
 * The API and the file server as one loopback stub: the list is empty, `onUpload` answers the
 * presign (POST …/uploads) and `onComplete` the record (POST …/attachments). The file PUT goes
 * through jsdom's XMLHttpRequest, which checks CORS like a browser, so the stub answers it too.
 */
async function renderWith(handlers: {
  onUpload: (req: IncomingMessage, res: ServerResponse, base: string) => void;
  onComplete?: (req: IncomingMessage, res: ServerResponse) => void;
  onList?: (res: ServerResponse, base: string) => void;
  scheduleRefresh?: RefreshScheduler;
}) {
  const calls: string[] = [];
  const cors = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'PUT',
    'access-control-allow-headers': 'content-type',
  };
  const stub = await httpStub((req, res) => {
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    calls.push(`${req.method} ${path}`);
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    if (req.method === 'PUT') return void req.resume().on('end', () => res.writeHead(200, cors).end());
    if (req.method === 'GET')
      return handlers.onList ? handlers.onList(res, stub.url) : json(res, 200, { attachments: [] });
    if (path.endsWith('/uploads')) return handlers.onUpload(req, res, stub.url);
    return handlers.onComplete ? handlers.onComplete(req, res) : json(res, 500, {});
  });
  close = stub.close;
  const auth = new FakeAuthService();
  auth.addUser({ email: 'pat@example.com', password: 'long enough password', name: 'Pat Doe' });
  await auth.signIn('pat@example.com', 'long enough password');
  const user = userEvent.setup();
  render(
    <MemoryRouter>
      <AppProviders service={auth} apiUrl={stub.url} filesUrl={stub.url}>
        <RequireAuth>
          <Attachments item={item} scheduleRefresh={handlers.scheduleRefresh} />
        </RequireAuth>
      </AppProviders>
    </MemoryRouter>,
  );
  await screen.findByLabelText('Attach a file to Holiday');
  return { user, calls };
}

const pick = (user: ReturnType<typeof userEvent.setup>, file: File) =>
  user.upload(screen.getByLabelText('Attach a file to Holiday'), file);

describe('Attachments: refused uploads say why in the user’s terms', () => {
  it('413: too big, with the API’s limit, and nothing listed', async () => {
    const { user } = await renderWith({
      onUpload: (_req, res) =>
        problem(res, 413, 'Payload Too Large', 'An attachment may have at most 10 bytes.'),
    });
    await pick(user, new File(['more than ten bytes'], 'big.png', { type: 'image/png' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '“big.png” is too big to attach. An attachment may have at most 10 bytes.',
    );
    expect(screen.queryByRole('link', { name: 'Download big.png' })).not.toBeInTheDocument();
  });

  it('415: not a file type you can attach, with the allowed types', async () => {
    const { user } = await renderWith({
      onUpload: (_req, res) =>
        problem(res, 415, 'Unsupported Media Type', 'Attachments may be image/png, application/pdf.'),
    });
    await pick(user, new File(['<p>hi</p>'], 'page.html', { type: 'text/html' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '“page.html” is not a file type you can attach. Attachments may be image/png, application/pdf.',
    );
    expect(screen.queryByRole('link', { name: 'Download page.html' })).not.toBeInTheDocument();
  });

  it('422: the file did not arrive as sent (after the PUT), so it was not kept', async () => {
    const { user, calls } = await renderWith({
      onUpload: (_req, res, base) =>
        json(res, 200, {
          upload_id: 'u1',
          method: 'PUT',
          url: `${base}/files/u1`,
          headers: { 'content-type': 'image/png' },
          expires_at: '2026-01-01T00:05:00.000Z',
          max_bytes: 1024,
        }),
      onComplete: (_req, res) =>
        problem(
          res,
          422,
          'Unprocessable Entity',
          'The uploaded file has 3 bytes, not the 4 declared (at most 1024); it was deleted.',
        ),
    });
    await pick(user, new File(['abcd'], 'photo.png', { type: 'image/png' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '“photo.png” did not arrive as it was sent, so it was not kept. The uploaded file has 3 bytes',
    );
    expect(calls).toContain('PUT /files/u1');
    expect(screen.queryByRole('link', { name: 'Download photo.png' })).not.toBeInTheDocument();
  });

  it('an empty file is refused before anything is sent', async () => {
    const { user, calls } = await renderWith({ onUpload: (_req, res) => json(res, 500, {}) });
    await pick(user, new File([], 'empty.txt', { type: 'text/plain' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('“empty.txt” is empty.');
    expect(calls.filter((c) => !c.startsWith('GET '))).toEqual([]);
  });
});

describe('Attachments: presigned links are fetched again before they expire', () => {
  /** The list answers a new signature each time, valid for 10 minutes from the answer. */
  async function renderList() {
    let signed = 0;
    const expiries: string[] = [];
    const timers: { run: () => void; at: number; cancelled: boolean }[] = [];
    const scheduleRefresh: RefreshScheduler = (run, at) => {
      const timer = { run, at, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    };
    const rendered = await renderWith({
      onUpload: (_req, res) => json(res, 500, {}),
      scheduleRefresh,
      onList: (res, base) => {
        signed += 1;
        const expires = new Date(Date.now() + 600_000).toISOString();
        expiries.push(expires);
        json(res, 200, {
          attachments: [
            {
              id: 'a1',
              name: 'photo.png',
              content_type: 'image/png',
              size: 4,
              created_at: '2026-01-01T00:00:00.000Z',
              download_url: `${base}/files/a1?signature=${signed}`,
              download_expires_at: expires,
            },
          ],
        });
      },
    });
    const thumb = () => screen.getByRole('img', { name: 'Preview of photo.png' });
    await screen.findByRole('img', { name: 'Preview of photo.png' });
    return { ...rendered, timers, expiries, thumb };
  }

  it('a minute before the first link expires the list is fetched again and the thumbnail takes the new link', async () => {
    const { timers, expiries, thumb, calls } = await renderList();
    expect(thumb()).toHaveAttribute('src', expect.stringMatching(/signature=1$/));
    // The timer is set by an effect after the render that shows the thumbnail (late under load).
    await waitFor(() => expect(timers).toHaveLength(1));
    expect(timers[0]!.at).toBe(Date.parse(expiries[0]!) - REFRESH_BEFORE_EXPIRY_MS);

    timers[0]!.run(); // the time has come
    await waitFor(() => expect(thumb()).toHaveAttribute('src', expect.stringMatching(/signature=2$/)));
    expect(screen.getByRole('link', { name: 'Download photo.png' })).toHaveAttribute(
      'href',
      expect.stringMatching(/signature=2$/),
    );
    expect(calls.filter((c) => c.startsWith('GET '))).toHaveLength(2);
    // The old timer is cancelled (effects run after the render) and the next one follows the new links.
    await waitFor(() => expect(timers[0]!.cancelled).toBe(true));
    expect(timers.at(-1)!.at).toBe(Date.parse(expiries[1]!) - REFRESH_BEFORE_EXPIRY_MS);
  });

  it('a thumbnail that fails to load fetches the list once; it tries again only after a successful load', async () => {
    const { thumb, calls } = await renderList();
    const lists = () => calls.filter((c) => c.startsWith('GET ')).length;
    fireEvent.error(thumb());
    await waitFor(() => expect(thumb()).toHaveAttribute('src', expect.stringMatching(/signature=2$/)));
    // Still failing (the file is gone): no second fetch, no loop.
    fireEvent.error(thumb());
    fireEvent.error(thumb());
    expect(lists()).toBe(2);
    // Once it has loaded, a later failure (expired after sleep) fetches again.
    fireEvent.load(thumb());
    fireEvent.error(thumb());
    await waitFor(() => expect(thumb()).toHaveAttribute('src', expect.stringMatching(/signature=3$/)));
    expect(lists()).toBe(3);
  });
});
