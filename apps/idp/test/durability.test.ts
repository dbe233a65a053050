import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdp } from '../src/index.ts';
import { claimsOf, poolPassword, startTestIdp, uniqueEmail } from './helpers.ts';
import { libraryAuthenticate } from './srp-helpers.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'idp-durable-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('durable state', () => {
  it('keeps pools, users, keys and sessions across a restart on the same data folder', async () => {
    const email = uniqueEmail('durable');
    const first = await startTestIdp({
      dataDir,
      users: [{ email, password: poolPassword, groups: ['editor'] }],
    });
    const signIn = await first.cognito.send(
      new InitiateAuthCommand({
        ClientId: first.backend.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: poolPassword, SECRET_HASH: first.secretHash(email) },
      }),
    );
    const jwks1 = await (await fetch(first.idp.pool.jwksUri)).json();
    const pool1 = first.idp.pool;
    await first.close();

    const second = await startTestIdp({ dataDir });
    try {
      expect(second.idp.pool.poolId).toBe(pool1.poolId);
      expect(second.idp.pool.clients).toEqual(pool1.clients);
      expect(await (await fetch(second.idp.pool.jwksUri)).json()).toEqual(jwks1);
      const session = await libraryAuthenticate(
        second.idp.url,
        pool1.poolId,
        second.web.clientId,
        email,
        poolPassword,
      );
      expect(session.getIdToken().decodePayload()['cognito:groups']).toEqual(['editor']);
      // The refresh token issued before the restart still works.
      const sub = claimsOf(signIn.AuthenticationResult!.AccessToken!).sub as string;
      const refreshed = await second.cognito.send(
        new InitiateAuthCommand({
          ClientId: second.backend.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: {
            REFRESH_TOKEN: signIn.AuthenticationResult!.RefreshToken!,
            SECRET_HASH: second.secretHash(sub),
          },
        }),
      );
      expect(refreshed.AuthenticationResult?.AccessToken).toBeTruthy();
      const bootstrap = JSON.parse(await readFile(join(dataDir, 'bootstrap.json'), 'utf8'));
      expect(bootstrap.url).toBe(second.idp.url);
      expect(bootstrap.pool.issuer).toBe(`${second.idp.url}/${pool1.poolId}`);
    } finally {
      await second.close();
    }
  });

  it('keeps the key file private to its owner', async () => {
    expect((await stat(join(dataDir, 'keys.json'))).mode & 0o077).toBe(0);
  });

  it('ignores the temp file a crash between write and rename leaves, and loses nothing committed', async () => {
    const before = await readFile(join(dataDir, 'state.json'), 'utf8');
    await writeFile(join(dataDir, '.deadbeef.tmp'), before.slice(0, before.length / 2));
    const idp = await startIdp({ dataDir });
    try {
      expect(idp.pool.poolId).toBe(JSON.parse(before).bootstrap.poolId);
      expect((await readdir(dataDir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    } finally {
      await idp.stop();
    }
  });

  it('refuses to start on a corrupt state file instead of overwriting it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idp-corrupt-'));
    try {
      await writeFile(join(dir, 'state.json'), '{"version": 1, "pools": {');
      await expect(startIdp({ dataDir: dir })).rejects.toThrow(/not valid JSON/);
      expect(await readFile(join(dir, 'state.json'), 'utf8')).toBe('{"version": 1, "pools": {');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
