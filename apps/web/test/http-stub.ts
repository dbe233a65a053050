import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A real HTTP server on loopback whose answers a test scripts, for UI states the real API cannot be
 * made to produce on demand (a 500, a 403 for a user whose token still says admin). Everything
 * the real API does on the happy path is tested in the browser suite (e2e/) against apps/api.
 */
export async function httpStub(
  handler: Handler,
): Promise<{ url: string; setHandler(h: Handler): void; close(): Promise<void> }> {
  let current = handler;
  const server: Server = createServer((req, res) => {
    // The SPA runs on another origin in the browser; jsdom's fetch is Node's, so CORS is moot here.
    current(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setHandler(h) {
      current = h;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
}
