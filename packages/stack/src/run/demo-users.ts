/**
 * Demo accounts for the local stack. Passwords are generated once per data folder (never
 * committed, file mode 0600) and set through the real AWS SDK against the local IdP, so the
 * same admin calls a deployment would make are exercised at every start.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';

export interface DemoUser {
  email: string;
  name: string;
  password: string;
  groups: string[];
}

function newPassword(): string {
  // 18 url-safe characters: above the pool's 12-character minimum, easy to copy.
  return randomBytes(14).toString('base64url').slice(0, 18);
}

export function loadOrCreateDemoUsers(dataDir: string): DemoUser[] {
  const file = join(dataDir, 'demo-users.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoUser[];
  const users: DemoUser[] = [
    { email: 'demo@example.com', name: 'Demo User', password: newPassword(), groups: [] },
    { email: 'admin@example.com', name: 'Admin User', password: newPassword(), groups: ['admin'] },
  ];
  writeFileSync(file, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
  return users;
}

/** A demo account as the pool knows it: what the API's demo data is keyed on. */
export interface PoolUser {
  sub: string;
  username: string;
  email: string;
  name: string | null;
}

/** Creates (or resets) the demo accounts through the AWS SDK; returns each one's sub. */
export async function ensureDemoUsers(
  idp: { url: string; region: string; poolId: string },
  users: DemoUser[],
): Promise<PoolUser[]> {
  const created: PoolUser[] = [];
  const client = new CognitoIdentityProviderClient({
    region: idp.region,
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    for (const user of users) {
      try {
        await client.send(
          new AdminCreateUserCommand({
            UserPoolId: idp.poolId,
            Username: user.email,
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: user.email },
              { Name: 'email_verified', Value: 'true' },
              { Name: 'name', Value: user.name },
            ],
          }),
        );
      } catch (err) {
        if (!(err instanceof UsernameExistsException)) throw err;
      }
      await client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: idp.poolId,
          Username: user.email,
          Password: user.password,
          Permanent: true,
        }),
      );
      for (const group of user.groups) {
        await client.send(
          new AdminAddUserToGroupCommand({ UserPoolId: idp.poolId, Username: user.email, GroupName: group }),
        );
      }
      const got = await client.send(
        new AdminGetUserCommand({ UserPoolId: idp.poolId, Username: user.email }),
      );
      const sub = got.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
      if (!sub || !got.Username) throw new Error(`the IdP returned ${user.email} without a sub`);
      created.push({ sub, username: got.Username, email: user.email, name: user.name });
    }
    return created;
  } finally {
    client.destroy();
  }
}
