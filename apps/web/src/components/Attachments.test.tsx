import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Item } from '@app/api-contract';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAuthService } from '../../test/fake-auth.ts';
import { httpStub, json } from '../../test/http-stub.ts';
import { AppProviders } from '../App.tsx';
import { Attachments } from './Attachments.tsx';
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
    if (req.method === 'GET') return json(res, 200, { attachments: [] });
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
          <Attachments item={item} />
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
