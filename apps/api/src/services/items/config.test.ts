import { describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../../config.ts';

const base = {
  COGNITO_REGION: 'eu-west-1',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyz',
  COGNITO_CLIENT_IDS: 'web1',
  WEB_ORIGIN: 'https://app.example.com',
};
const prod = {
  ...base,
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db/app',
  REDIS_URL: 'rediss://c:6379',
};

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('ITEMS_STORE configuration (ADR 0092)', () => {
  it('defaults to Postgres', () => {
    expect(loadConfig(base).items).toEqual({ store: 'postgres' });
  });

  it('takes DynamoDB with a table, the pool region and an optional endpoint', () => {
    expect(
      loadConfig({
        ...base,
        ITEMS_STORE: 'dynamodb',
        DYNAMODB_TABLE: 'app-items',
        DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567',
      }).items,
    ).toEqual({
      store: 'dynamodb',
      table: 'app-items',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4567',
    });
    expect(loadConfig({ ...prod, ITEMS_STORE: 'dynamodb', DYNAMODB_TABLE: 'app-items' }).items).toEqual({
      store: 'dynamodb',
      table: 'app-items',
      region: 'eu-west-1',
    });
  });

  it('refuses DynamoDB without a table, an unknown store, and a loopback endpoint in production', () => {
    expect(problemsOf({ ...base, ITEMS_STORE: 'dynamodb' })).toEqual([
      'DYNAMODB_TABLE: required with ITEMS_STORE=dynamodb',
    ]);
    expect(problemsOf({ ...base, ITEMS_STORE: 'mongo' })[0]).toMatch(/^ITEMS_STORE:/);
    expect(
      problemsOf({
        ...prod,
        ITEMS_STORE: 'dynamodb',
        DYNAMODB_TABLE: 't1x',
        DYNAMODB_ENDPOINT: 'http://localhost:4567',
      }),
    ).toEqual(['DYNAMODB_ENDPOINT: a local server is for development only']);
  });
});
