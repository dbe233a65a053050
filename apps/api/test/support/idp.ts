import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secretHashParam } from '@app/cognito-srp/sign-in';
import { startIdp } from '@app/idp';
import { definition } from '@app/pool-definition';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';

/** The subset of @app/idp's RunningIdp the API tests use (see the shared interface in the brief). */
export interface TestIdp {
  url: string;
  pool: {
    poolId: string;
    region: string;
    issuer: string;
    jwksUri: string;
    clients: Record<string, { clientId: string; clientSecret?: string }>;
  };
  dataDir: string;
  stop(): Promise<void>;
}

export interface TestIdpOptions {
  users?: Array<{ email: string; password: string; name?: string; groups?: string[] }>;
  tokenValiditySeconds?: { access?: number; id?: number };
  /** The IdP's clock (epoch ms), e.g. to run it ahead of or behind the API's. */
  clock?: () => number;
}

/** Starts apps/idp on a random loopback port in a temporary data dir; stop() removes the dir. */
export async function startTestIdp(opts: TestIdpOptions = {}): Promise<TestIdp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'api-idp-'));
  const idp = await startIdp({ dataDir, port: 0, host: '127.0.0.1', definition, ...opts });
  return {
    url: idp.url,
    pool: idp.pool,
    dataDir,
    stop: async () => {
      await idp.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Env for an app that trusts this IdP and signs users in through its `backend` client. */
export function idpEnv(idp: TestIdp): Record<string, string> {
  const web = idp.pool.clients.web;
  const backend = idp.pool.clients.backend;
  const machine = idp.pool.clients.machine;
  return {
    COGNITO_REGION: idp.pool.region,
    COGNITO_USER_POOL_ID: idp.pool.poolId,
    COGNITO_ISSUER: idp.pool.issuer,
    COGNITO_JWKS_URI: idp.pool.jwksUri,
    COGNITO_ENDPOINT: idp.url,
    COGNITO_CLIENT_IDS: [web?.clientId, backend?.clientId].filter(Boolean).join(','),
    ...(machine ? { COGNITO_MACHINE_CLIENT_IDS: machine.clientId } : {}),
    ...(backend ? { COGNITO_AUTH_CLIENT_ID: backend.clientId } : {}),
    ...(backend?.clientSecret ? { COGNITO_AUTH_CLIENT_SECRET: backend.clientSecret } : {}),
  };
}

/** Signs in through the `backend` client with USER_PASSWORD_AUTH: the user's access and ID tokens. */
export async function passwordSignIn(idp: TestIdp, email: string, password: string) {
  const backend = idp.pool.clients.backend!;
  const cognito = new CognitoIdentityProviderClient({
    region: idp.pool.region,
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const out = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: backend.clientId,
        AuthParameters: {
          USERNAME: email,
          PASSWORD: password,
          ...secretHashParam({ userPoolId: idp.pool.poolId, ...backend }, email),
        },
      }),
    );
    return { access: out.AuthenticationResult!.AccessToken!, id: out.AuthenticationResult!.IdToken! };
  } finally {
    cognito.destroy();
  }
}
