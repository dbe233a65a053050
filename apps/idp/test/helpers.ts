import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { secretHash } from '@app/cognito-srp';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { type RunningIdp, type StartIdpOptions, startIdp } from '../src/index.ts';

export interface TestIdp {
  idp: RunningIdp;
  dataDir: string;
  cognito: CognitoIdentityProviderClient;
  /** Mutable clock: tests move time forward instead of sleeping. */
  clock: { now: number; advance(ms: number): void };
  web: { clientId: string };
  backend: { clientId: string; clientSecret: string };
  secretHash(username: string): string;
  mailbox(
    to: string,
  ): Promise<Array<{ id: string; kind: string; code: string; subject: string; body: string }>>;
  /** Latest code mailed to `to` of the given kind. */
  lastCode(to: string, kind: string): Promise<string>;
  close(): Promise<void>;
}

export const poolPassword = 'correct horse battery';

let counter = 0;
export const uniqueEmail = (tag = 'user') => `${tag}.${process.pid}.${Date.now()}.${counter++}@example.com`;

export function sdkClient(url: string, region = 'us-east-1') {
  return new CognitoIdentityProviderClient({
    region,
    endpoint: url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

export async function startTestIdp(
  opts: Partial<StartIdpOptions> & { dataDir?: string } = {},
): Promise<TestIdp> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'idp-test-')));
  const clock = {
    now: Date.now(),
    advance(ms: number) {
      this.now += ms;
    },
  };
  const idp = await startIdp({ ...opts, dataDir, port: 0, clock: () => clock.now });
  const cognito = sdkClient(idp.url, idp.pool.region);
  const backend = idp.pool.clients.backend as { clientId: string; clientSecret: string };
  const web = idp.pool.clients.web as { clientId: string };
  const mailbox = async (to: string) => {
    const res = await fetch(`${idp.url}/_dev/mailbox?to=${encodeURIComponent(to)}`);
    return ((await res.json()) as { messages: Awaited<ReturnType<TestIdp['mailbox']>> }).messages;
  };
  return {
    idp,
    dataDir,
    cognito,
    clock,
    web,
    backend,
    secretHash: (username) => secretHash(username, backend.clientId, backend.clientSecret),
    mailbox,
    async lastCode(to, kind) {
      const m = (await mailbox(to)).find((x) => x.kind === kind);
      if (!m) throw new Error(`no ${kind} mail for ${to}`);
      return m.code;
    },
    async close() {
      cognito.destroy();
      await idp.stop();
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Decodes a JWT's payload without verifying it (tests verify separately with aws-jwt-verify). */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
}

export function headerOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8'));
}

/** Claim by claim, what Cognito's access token carries for a user in a group (sorted). */
export const accessTokenClaimNames = [
  'auth_time',
  'client_id',
  'cognito:groups',
  'event_id',
  'exp',
  'iat',
  'iss',
  'jti',
  'origin_jti',
  'scope',
  'sub',
  'token_use',
  'username',
  'version',
].sort();

/**
 * Claim by claim, what Cognito's ID token for a native e-mail user in a group carries, with the
 * pool's `name` attribute set (no at_hash/nonce outside OAuth).
 */
export const idTokenClaimNames = [
  'aud',
  'auth_time',
  'cognito:groups',
  'cognito:username',
  'email',
  'email_verified',
  'event_id',
  'exp',
  'iat',
  'iss',
  'jti',
  'name',
  'origin_jti',
  'sub',
  'token_use',
].sort();

/**
 * Runs a Python (boto3) fixture from test/fixtures against the IdP at `idpUrl` (IDP_URL), with no AWS
 * config or credentials file; asynchronously, since the IdP answers from this very process.
 */
export function runPythonFixture(
  idpUrl: string,
  script: string,
  {
    args = [],
    env = {},
    timeout = 60_000,
  }: { args?: string[]; env?: Record<string, string>; timeout?: number } = {},
) {
  return promisify(execFile)('python3', [join(import.meta.dirname, 'fixtures', script), ...args], {
    encoding: 'utf8',
    timeout,
    env: {
      ...process.env,
      IDP_URL: idpUrl,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      ...env,
    },
  });
}
