import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.ts';
import { type RunningIdp, startIdp } from '../src/idp.ts';
import { loadOrCreateTls } from '../src/tls.ts';

/** GET over HTTPS trusting exactly `ca` (the IdP's self-signed certificate). */
function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the TLS listener (ADR 0136)', () => {
  let dataDir: string;
  let idp: RunningIdp;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'idp-tls-'));
    idp = await startIdp({ dataDir, tls: {} });
  });
  afterAll(async () => {
    await idp?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the same endpoints over HTTPS with a certificate for the loopback names, kept in the data folder', async () => {
    const cert = await readFile(join(dataDir, 'tls-cert.pem'), 'utf8');
    expect((await stat(join(dataDir, 'tls-key.pem'))).mode & 0o777).toBe(0o600);
    const x509 = new X509Certificate(cert);
    expect(x509.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(idp.tls!.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    // Verified against the certificate (not with verification off): Node checks the IP SAN.
    expect(await httpsGet(`${idp.tls!.url}/health`, cert)).toEqual({ status: 200, body: '{"status":"ok"}' });
    const discovery = await httpsGet(
      `${idp.tls!.url}/${idp.pool.poolId}/.well-known/openid-configuration`,
      cert,
    );
    expect(JSON.parse(discovery.body).issuer).toBe(idp.pool.issuer);
    // Chromium's --ignore-certificate-errors-spki-list value: base64 SHA-256 of the SubjectPublicKeyInfo.
    const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
    expect(idp.tls!.spkiSha256).toBe(createHash('sha256').update(spki).digest('base64'));
  });

  it('names the https listener as the issuer with tls.issuer (what a production API accepts)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idp-tls-issuer-'));
    const https = await startIdp({ dataDir: dir, tls: { issuer: true } });
    try {
      const cert = await readFile(join(dir, 'tls-cert.pem'), 'utf8');
      expect(https.pool.issuer).toBe(`${https.tls!.url}/${https.pool.poolId}`);
      const discovery = await httpsGet(`${https.pool.issuer}/.well-known/openid-configuration`, cert);
      expect(JSON.parse(discovery.body)).toMatchObject({
        issuer: https.pool.issuer,
        jwks_uri: `${https.pool.issuer}/.well-known/jwks.json`,
      });
    } finally {
      await https.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('publishes the domain Amplify wants in bootstrap.json', async () => {
    const { pool } = JSON.parse(await readFile(join(dataDir, 'bootstrap.json'), 'utf8'));
    expect(pool.oauth.tls).toEqual({
      domain: idp.tls!.domain,
      url: `https://${idp.tls!.domain}`,
      certFile: join(dataDir, 'tls-cert.pem'),
      spkiSha256: idp.tls!.spkiSha256,
    });
  });

  it('keeps the certificate across restarts and renews it a week before it expires', async () => {
    const again = await loadOrCreateTls(dataDir);
    expect(again.spkiSha256).toBe(idp.tls!.spkiSha256);
    const validTo = Date.parse(new X509Certificate(again.cert).validTo);
    const renewed = await loadOrCreateTls(dataDir, undefined, () => validTo - 6 * 86_400_000);
    expect(renewed.spkiSha256).not.toBe(again.spkiSha256);
    expect(Date.parse(new X509Certificate(renewed.cert).validTo)).toBeGreaterThan(validTo);
  });

  it('serves a given key and certificate, and refuses one that is not a certificate', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'idp-tls-pem-'));
    const given = await loadOrCreateTls(elsewhere);
    await rm(elsewhere, { recursive: true, force: true });
    const dir = await mkdtemp(join(tmpdir(), 'idp-tls-given-'));
    const other = await startIdp({ dataDir: dir, tls: { key: given.key, cert: given.cert } });
    try {
      expect(other.tls!.spkiSha256).toBe(given.spkiSha256);
      expect((await httpsGet(`${other.tls!.url}/health`, given.cert)).status).toBe(200);
      await expect(stat(join(dir, 'tls-cert.pem'))).rejects.toThrow(/ENOENT/);
    } finally {
      await other.stop();
      await rm(dir, { recursive: true, force: true });
    }
    await expect(loadOrCreateTls(dir, { key: given.key, cert: 'not a pem' })).rejects.toThrow(
      /not a PEM X\.509 certificate/,
    );
  });

  it('takes --tls-port with an optional --tls-cert/--tls-key pair from the command line or IDP_TLS_*', () => {
    expect(parseCli(['--tls-port', '9230'], {})).toMatchObject({ tls: { port: 9230 } });
    expect(parseCli([], { IDP_TLS_PORT: '0' })).toMatchObject({ tls: { port: 0 } });
    expect(parseCli([], {})).not.toHaveProperty('tls');
    expect(() => parseCli(['--tls-port', 'x'], {})).toThrow(
      '--tls-port must be a number from 0 to 65535, got "x"',
    );
    expect(() => parseCli(['--tls-port', '1', '--tls-cert', 'c.pem'], {})).toThrow(
      '--tls-cert and --tls-key go together',
    );
    expect(() => parseCli(['--tls-cert', 'c.pem', '--tls-key', 'k.pem'], {})).toThrow(
      '--tls-cert and --tls-key need --tls-port',
    );
    expect(parseCli(['--tls-port', '0', '--tls-issuer'], {})).toMatchObject({
      tls: { port: 0, issuer: true },
    });
    expect(parseCli([], { IDP_TLS_PORT: '0', IDP_TLS_ISSUER: '1' })).toMatchObject({ tls: { issuer: true } });
    expect(() => parseCli(['--tls-issuer'], {})).toThrow('--tls-issuer needs --tls-port');
    expect(() =>
      parseCli(['--tls-port', '1', '--tls-cert', '/nope/c.pem', '--tls-key', '/nope/k.pem'], {}),
    ).toThrow('cannot read /nope/c.pem');
  });
});
