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

export async function ensureDemoUsers(
  idp: { url: string; region: string; poolId: string },
  users: DemoUser[],
): Promise<void> {
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
    }
  } finally {
    client.destroy();
  }
}
