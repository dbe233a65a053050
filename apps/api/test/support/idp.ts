import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secretHashParam } from '@app/cognito-srp/sign-in';
import { type PoolInfo, startIdp } from '@app/idp';
import { definition } from '@app/pool-definition';
import { type ApiEnv, apiEnv, poolIdsFromBootstrap } from '@app/stack/wiring';
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

/** Env for an app that trusts this IdP and signs users in through its `backend` client: the stack's one mapping. */
export function idpEnv(idp: TestIdp): ApiEnv {
  return apiEnv(poolIdsFromBootstrap(idp.pool as PoolInfo), { idpUrl: idp.url });
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
