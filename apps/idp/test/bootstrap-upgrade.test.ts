import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definition } from '@app/pool-definition';
import {
  DeleteUserPoolClientCommand,
  DescribeUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, describe, expect, it } from 'vitest';
import { startIdp } from '../src/idp.ts';
import { sdkClient } from './helpers.ts';

// A data folder made before the pool definition gained a client (the CLI's, ADR 0197) gets that
// client at the next start: nobody deletes their local users to pick up a new definition.
const dataDir = await mkdtemp(join(tmpdir(), 'idp-upgrade-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const bootstrapClients = async () =>
  (
    JSON.parse(await readFile(join(dataDir, 'bootstrap.json'), 'utf8')) as {
      pool: { poolId: string; clients: Record<string, { clientId: string }> };
    }
  ).pool;

describe('a data folder older than the pool definition', () => {
  it('gains the missing client at the next start, keeping the others', async () => {
    const withoutCli = { ...definition, clients: definition.clients.filter((c) => c.key !== 'cli') };
    const old = await startIdp({ dataDir, port: 0, definition: withoutCli });
    await old.stop();
    const before = await bootstrapClients();
    expect(before.clients.cli).toBeUndefined();

    const idp = await startIdp({ dataDir, port: 0 });
    try {
      const after = await bootstrapClients();
      expect(after.poolId).toBe(before.poolId);
      expect(after.clients.web).toEqual(before.clients.web);
      const cli = after.clients.cli?.clientId;
      expect(cli).toMatch(/^[a-z0-9]{26}$/);
      const { UserPoolClient } = await sdkClient(idp.url, idp.pool.region).send(
        new DescribeUserPoolClientCommand({ UserPoolId: after.poolId, ClientId: cli }),
      );
      expect(UserPoolClient).toMatchObject({
        ClientName: 'cli',
        CallbackURLs: definition.clients.find((c) => c.key === 'cli')?.callbackUrls,
        AllowedOAuthFlows: ['code'],
      });
      expect(UserPoolClient?.ClientSecret).toBeUndefined();
    } finally {
      await idp.stop();
    }
  });

  it('recreates a definition client that was deleted, under a new id', async () => {
    let idp = await startIdp({ dataDir, port: 0 });
    const before = (await bootstrapClients()).clients.cli!.clientId;
    await sdkClient(idp.url, idp.pool.region).send(
      new DeleteUserPoolClientCommand({ UserPoolId: idp.pool.poolId, ClientId: before }),
    );
    await idp.stop();
    idp = await startIdp({ dataDir, port: 0 });
    try {
      const after = (await bootstrapClients()).clients.cli?.clientId;
      expect(after).toMatch(/^[a-z0-9]{26}$/);
      expect(after).not.toBe(before);
    } finally {
      await idp.stop();
    }
  });
});
