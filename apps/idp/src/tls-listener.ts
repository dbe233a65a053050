import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { loadOrCreateTls, type TlsMaterial } from './tls.ts';

export interface TlsOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** PEM key and certificate to serve; both or neither (then one is generated per data folder). */
  key?: string;
  cert?: string;
  /** Where `cert` was read from, for bootstrap.json. */
  certFile?: string;
  /**
   * Tokens name `https://<host>:<tls port>/<poolId>` as their issuer instead of the http listener's
   * URL: what a production build of the API accepts (a production rehearsal, ADR 0176).
   */
  issuer?: boolean;
}

export interface TlsListener {
  /** `https://<host>:<port>`. */
  url: string;
  /** `<host>:<port>`: what Amplify's `oauth.domain` wants (it prefixes `https://` itself). */
  domain: string;
  certFile?: string;
  /** base64 SHA-256 of the certificate's public key, for Chromium's `--ignore-certificate-errors-spki-list`. */
  spkiSha256: string;
  close(): Promise<void>;
}

/** Starts the HTTPS listener beside the HTTP one, on the same host, with the same routes. */
export async function listenTls(
  opts: TlsOptions,
  dataDir: string,
  host: string,
  create: (material: TlsMaterial) => HttpServer | HttpsServer,
): Promise<TlsListener> {
  if ((opts.key === undefined) !== (opts.cert === undefined))
    throw new Error('tls: give both key and cert, or neither (a certificate is then generated)');
  const material = await loadOrCreateTls(
    dataDir,
    opts.key !== undefined && opts.cert !== undefined
      ? { key: opts.key, cert: opts.cert, ...(opts.certFile ? { certFile: opts.certFile } : {}) }
      : undefined,
  );
  const server = create(material);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const domain = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `https://${domain}`,
    domain,
    ...(material.certFile ? { certFile: material.certFile } : {}),
    spkiSha256: material.spkiSha256,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
