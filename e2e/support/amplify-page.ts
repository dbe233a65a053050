/**
 * A one-page app for driving the real aws-amplify v6 in Chromium: `entry` (bundled by esbuild from the
 * repo's node_modules) reads `window.ampConfig`, which the page sets from `config()` at each load —
 * so the config may name an IdP started after the page. Served on http://localhost (not 127.0.0.1),
 * so the app's origin is not the IdP's, as on AWS.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { repoRoot } from '@app/stack';
import { build } from 'esbuild';

export interface AmplifyPage {
  origin: string;
  close(): Promise<void>;
}

export async function startAmplifyPage(opts: {
  title: string;
  entry: string;
  config: () => unknown;
}): Promise<AmplifyPage> {
  const bundle = await build({
    stdin: { contents: opts.entry, resolveDir: repoRoot, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0]!.text;
  const server = createServer((req, res) => {
    if (req.url === '/app.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    res.writeHead(200, { 'content-type': 'text/html' }).end(
      `<!doctype html><title>${opts.title}</title>
       <script>window.ampConfig = ${JSON.stringify(opts.config())};</script>
       <script type="module" src="/app.js"></script>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
