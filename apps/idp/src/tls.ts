import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { writeFileAtomic } from './store/atomic-file.ts';

/** A certificate and key the TLS listener serves, with what a browser needs to trust it. */
export interface TlsMaterial {
  key: string;
  cert: string;
  /** Where the certificate is on disk (generated ones: `<data-dir>/tls-cert.pem`). */
  certFile?: string;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo: Chromium's `--ignore-certificate-errors-spki-list`. */
  spkiSha256: string;
}

const DAY_MS = 86_400_000;
/** Regenerate this long before expiry, so a certificate never lapses in the middle of a session. */
const RENEW_BEFORE_MS = 7 * DAY_MS;

export class TlsError extends Error {
  override name = 'TlsError';
}

function material(key: string, cert: string, certFile?: string): TlsMaterial {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new TlsError(`the TLS certificate is not a PEM X.509 certificate: ${(err as Error).message}`);
  }
  const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
  return {
    key,
    cert,
    ...(certFile ? { certFile } : {}),
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
  };
}

/**
 * The given PEM pair, or a self-signed certificate for the loopback names kept in the data folder
 * (`tls-key.pem` mode 0600, `tls-cert.pem`), made on first use and again a week before it expires.
 * Generated with `selfsigned` (WebCrypto + @peculiar/x509): Node has no X.509 writer (ADR 0136).
 */
export async function loadOrCreateTls(
  dataDir: string,
  given?: { key: string; cert: string; certFile?: string },
  now = Date.now,
): Promise<TlsMaterial> {
  if (given) return material(given.key, given.cert, given.certFile);
  const keyFile = join(dataDir, 'tls-key.pem');
  const certFile = join(dataDir, 'tls-cert.pem');
  try {
    const [key, cert] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
    if (Date.parse(new X509Certificate(cert).validTo) - now() > RENEW_BEFORE_MS)
      return material(key, cert, certFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const notBeforeDate = new Date(now() - DAY_MS);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 366 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  await writeFileAtomic(keyFile, pems.private, 0o600);
  await writeFileAtomic(certFile, pems.cert, 0o644);
  return material(pems.private, pems.cert, certFile);
}
