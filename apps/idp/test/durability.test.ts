import { appendFile, cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdp } from '../src/index.ts';
import { Store } from '../src/store/store.ts';
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

  it('drops a torn batch a crash mid-append leaves at the end of the log, and loses nothing committed', async () => {
    const stateDir = join(dataDir, 'state');
    const log = (await readdir(stateDir)).find((n) => n.startsWith('log-'))!;
    const committed = await readFile(join(stateDir, log), 'utf8');
    await appendFile(join(stateDir, log), '{"k":["session","torn"],"v":{"originJti":"to');
    const idp = await startIdp({ dataDir });
    try {
      expect(idp.pool.poolId).toBe(
        JSON.parse(await readFile(join(dataDir, 'bootstrap.json'), 'utf8')).pool.poolId,
      );
      expect((await readFile(join(stateDir, log), 'utf8')).startsWith(committed)).toBe(true);
      expect(await readFile(join(stateDir, log), 'utf8')).not.toContain('"torn"');
    } finally {
      await idp.stop();
    }
  });

  it('migrates a data folder of the one-file store (state.json) on first start, losing nothing', async () => {
    const old = await mkdtemp(join(tmpdir(), 'idp-legacy-'));
    try {
      // The old store's file: the whole state as one JSON document, beside the same keys.
      const store = await Store.open(dataDir);
      await writeFile(join(old, 'state.json'), JSON.stringify(store.state));
      await store.close();
      await cp(join(dataDir, 'keys.json'), join(old, 'keys.json'));
      const before = JSON.parse(await readFile(join(old, 'state.json'), 'utf8'));
      const idp = await startTestIdp({ dataDir: old });
      try {
        expect(idp.idp.pool.poolId).toBe(before.bootstrap.poolId);
        const [email] = Object.values(before.pools[before.bootstrap.poolId].users).map(
          (u) => (u as { attributes: { email: string } }).attributes.email,
        );
        const session = await libraryAuthenticate(
          idp.idp.url,
          idp.idp.pool.poolId,
          idp.web.clientId,
          email!,
          poolPassword,
        );
        expect(session.getIdToken().decodePayload().email).toBe(email);
      } finally {
        await idp.close();
      }
      expect(JSON.parse(await readFile(join(old, 'state.json.migrated'), 'utf8'))).toEqual(before);
      const migrated = await Store.open(old);
      const after = JSON.parse(JSON.stringify(migrated.state));
      await migrated.close();
      // Everything the old file held is there (the sign-in above only added to it).
      expect(Object.keys(after.sessions)).toEqual(expect.arrayContaining(Object.keys(before.sessions)));
      expect(Object.keys(after.clients)).toEqual(Object.keys(before.clients));
      const poolId = before.bootstrap.poolId;
      expect(Object.keys(after.pools[poolId].users)).toEqual(Object.keys(before.pools[poolId].users));
      expect(after.pools[poolId].groups).toEqual(before.pools[poolId].groups);
    } finally {
      await rm(old, { recursive: true, force: true });
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
