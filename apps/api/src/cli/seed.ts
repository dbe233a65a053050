/**
 * `npm run db:seed -- --email <address> [--sub <sub>] [--name <name>]`: idempotent demo data for one
 * user, in the items store ITEMS_STORE names. Without --sub the user is looked up in the users table, then in the pool (AdminGetUser; needs
 * COGNITO_REGION, COGNITO_USER_POOL_ID and, for the local IdP, COGNITO_ENDPOINT).
 */
import { normaliseEmail } from '@app/pool-definition/email';
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createDb, type Db, runMigrations } from '../db/index.ts';
import { createCognitoClient } from '../services/cognito/client.ts';
import { openItemsStore } from '../services/items/index.ts';
import { type SeedUser, seedDemoData } from '../services/seed.ts';
import { dbConfigFromEnv, fail, itemsConfigFromEnv, parseCliArgs } from './args.ts';

async function resolveUser(db: Db, args: { email?: string; sub?: string; name?: string }): Promise<SeedUser> {
  const email = args.email === undefined ? null : normaliseEmail(args.email);
  if (args.sub) return { sub: args.sub, username: args.sub, email, name: args.name ?? null };
  if (!email) throw new Error('pass --email <address> (and optionally --sub <sub>)');

  const known = await db.query<SeedUser>(
    'select sub, username, email, name from users where lower(email) = $1 limit 1',
    [email],
  );
  if (known.rows[0]) return { ...known.rows[0], name: args.name ?? known.rows[0].name };

  const region = process.env.COGNITO_REGION;
  const poolId = process.env.COGNITO_USER_POOL_ID;
  if (!region || !poolId) {
    throw new Error(
      `no user with e-mail ${email} in the database; pass --sub, or set COGNITO_REGION and COGNITO_USER_POOL_ID`,
    );
  }
  const cognito = createCognitoClient({ region, endpoint: process.env.COGNITO_ENDPOINT || undefined });
  try {
    const out = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    const attr = (n: string) => out.UserAttributes?.find((a) => a.Name === n)?.Value ?? null;
    const sub = attr('sub') ?? out.Username;
    if (!sub || !out.Username) throw new Error('the pool returned a user without sub');
    return { sub, username: out.Username, email: attr('email') ?? email, name: args.name ?? attr('name') };
  } catch (err) {
    if ((err as Error).name === 'UserNotFoundException')
      throw new Error(`no user ${email} in pool ${poolId}`);
    throw err;
  } finally {
    cognito.destroy();
  }
}

async function main() {
  const args = parseCliArgs(process.argv.slice(2), {
    email: { type: 'string' },
    sub: { type: 'string' },
    name: { type: 'string' },
  }) as { email?: string; sub?: string; name?: string };
  const db = await createDb(dbConfigFromEnv());
  try {
    await runMigrations(db);
    const user = await resolveUser(db, args);
    const items = await openItemsStore({ items: itemsConfigFromEnv() }, db);
    try {
      const added = await seedDemoData(db, items.store, user);
      console.log(`seeded ${user.email ?? user.sub}: ${added} item(s) added (${items.store.kind})`);
    } finally {
      await items.close();
    }
  } finally {
    await db.close();
  }
}

main().catch(fail);
