import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, loadConfig } from '../../src/config.ts';

/**
 * A test configuration from env-style values (validated by the real loadConfig). Defaults: NODE_ENV
 * test, silent logs, a fresh temporary DATA_DIR (PGlite), no Redis, one web origin.
 */
export function testConfig(env: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    COGNITO_REGION: 'us-east-1',
    COGNITO_USER_POOL_ID: 'us-east-1_TestPool1',
    COGNITO_CLIENT_IDS: 'testclient1',
    WEB_ORIGIN: 'http://localhost:5173',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'api-test-')),
    ...env,
  });
}

/** Env for an app that trusts a TestKeyServer (see jwks-server.ts). */
export function keyServerEnv(
  keys: { issuer: string; jwksUri: string; poolId: string },
  clientIds = 'testclient1',
) {
  return {
    COGNITO_USER_POOL_ID: keys.poolId,
    COGNITO_ISSUER: keys.issuer,
    COGNITO_JWKS_URI: keys.jwksUri,
    COGNITO_CLIENT_IDS: clientIds,
  };
}
