import { describe, expect, it } from 'vitest';
import { ConfigError, isLoopbackUrl, loadConfig } from './config.ts';

const base = {
  COGNITO_REGION: 'eu-west-1',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyz',
  COGNITO_CLIENT_IDS: 'web1, backend2',
  WEB_ORIGIN: 'https://app.example.com/',
};
const prod = {
  ...base,
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db/app',
  REDIS_URL: 'rediss://cache:6379',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected loadConfig to refuse this environment');
}

describe('loadConfig', () => {
  it('derives the Cognito issuer and JWKS URI and applies defaults', () => {
    const c = loadConfig(base);
    expect(c.cognito.issuer).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyz');
    expect(c.cognito.jwksUri).toBe(`${c.cognito.issuer}/.well-known/jwks.json`);
    expect(c.cognito.clientIds).toEqual(['web1', 'backend2']);
    expect(c.cognito.authClientId).toBe('web1');
    expect(c.cognito.authFlow).toBe('srp');
    expect(c).toMatchObject({ env: 'development', host: '127.0.0.1', port: 8000, trustProxy: false });
    expect(c.webOrigins).toEqual(['https://app.example.com']);
    expect(c.db).toEqual({ dataDir: './.data/api', poolMax: 10 });
    expect(c.redis).toBeUndefined();
  });

  it('REDIS_CLUSTER switches the shared store to a cluster client, and needs REDIS_URL', () => {
    expect(loadConfig({ ...base, REDIS_URL: 'rediss://:t@cache.example:6379' }).redis).toEqual({
      url: 'rediss://:t@cache.example:6379',
      cluster: false,
    });
    expect(
      loadConfig({ ...base, REDIS_URL: 'rediss://:t@cache.example:6379', REDIS_CLUSTER: 'true' }).redis,
    ).toEqual({ url: 'rediss://:t@cache.example:6379', cluster: true });
    expect(() => loadConfig({ ...base, REDIS_CLUSTER: 'true' })).toThrow(/REDIS_CLUSTER: needs REDIS_URL/);
    expect(() => loadConfig({ ...base, REDIS_URL: 'redis://h:6379', REDIS_CLUSTER: 'yes' })).toThrow(
      /REDIS_CLUSTER: must be true or false/,
    );
  });

  it('accepts a loopback http IdP outside production, with issuer and JWKS set separately', () => {
    const c = loadConfig({
      ...base,
      COGNITO_ISSUER: 'http://127.0.0.1:9339/eu-west-1_AbC123xyz',
      COGNITO_JWKS_URI: 'http://localhost:9339/keys.json',
      TRUST_PROXY: 'loopback',
      AUTH_FLOW: 'password',
    });
    expect(c.cognito.jwksUri).toBe('http://localhost:9339/keys.json');
    expect(c.trustProxy).toEqual({ proxies: ['loopback'], hops: 0 });
    expect(c.cognito.authFlow).toBe('password');
  });

  it('reads DB_POOL_MAX (the per-process connection cap the deploy budget counts on) and bounds it', () => {
    expect(loadConfig({ ...base, DB_POOL_MAX: '4' }).db.poolMax).toBe(4);
    expect(problemsOf({ ...base, DB_POOL_MAX: '0' }).join('\n')).toMatch(/DB_POOL_MAX/);
    expect(problemsOf({ ...base, DB_POOL_MAX: 'lots' }).join('\n')).toMatch(/DB_POOL_MAX/);
  });

  it('reads machine client ids and refuses one that is also a user client', () => {
    expect(loadConfig(base).cognito.machineClientIds).toEqual([]);
    expect(loadConfig({ ...base, COGNITO_MACHINE_CLIENT_IDS: 'm1, m2' }).cognito.machineClientIds).toEqual([
      'm1',
      'm2',
    ]);
    expect(problemsOf({ ...base, COGNITO_MACHINE_CLIENT_IDS: 'm1,web1' })).toEqual([
      'COGNITO_MACHINE_CLIENT_IDS: web1 is also a user client (COGNITO_CLIENT_IDS)',
    ]);
  });

  it('lists every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'eighty', COGNITO_REGION: 'mars', WEB_ORIGIN: 'not a url' });
    const text = problems.join('\n');
    for (const name of [
      'PORT',
      'COGNITO_REGION',
      'COGNITO_USER_POOL_ID',
      'COGNITO_CLIENT_IDS',
      'WEB_ORIGIN',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('refuses plain-http JWKS on a non-loopback host even in development', () => {
    expect(problemsOf({ ...base, COGNITO_JWKS_URI: 'http://idp.example.com/jwks.json' }).join()).toMatch(
      /COGNITO_JWKS_URI: plain http is allowed only for loopback/,
    );
  });

  it('accepts a safe production configuration', () => {
    const c = loadConfig(prod);
    expect(c.env).toBe('production');
    expect(c.db.url).toBe('postgres://db/app');
  });

  it('refuses a local IdP, http keys and in-process stores in production', () => {
    const problems = problemsOf({
      ...base,
      NODE_ENV: 'production',
      COGNITO_ISSUER: 'http://127.0.0.1:9339/eu-west-1_AbC123xyz',
      COGNITO_ENDPOINT: 'http://127.0.0.1:9339',
    }).join('\n');
    expect(problems).toMatch(/COGNITO_ISSUER: must use https in production/);
    expect(problems).toMatch(/COGNITO_ISSUER: a loopback identity provider is refused/);
    expect(problems).toMatch(/COGNITO_JWKS_URI: must use https/);
    expect(problems).toMatch(/COGNITO_ENDPOINT: a loopback identity provider is refused/);
    expect(problems).toMatch(/DATABASE_URL: required in production/);
    expect(problems).toMatch(/REDIS_URL: required in production/);
  });

  it('refuses the npm start provisioning key in production (ADR 0155)', () => {
    expect(problemsOf({ ...prod, INTERNAL_PROVISIONING_TOKEN: 'k'.repeat(43) }).join()).toMatch(
      /INTERNAL_PROVISIONING_TOKEN: for npm start only/,
    );
    expect(loadConfig({ ...base, INTERNAL_PROVISIONING_TOKEN: 'k'.repeat(43) }).provisioningToken).toBe(
      'k'.repeat(43),
    );
  });

  it('refuses an https issuer on loopback in production', () => {
    expect(problemsOf({ ...prod, COGNITO_ISSUER: 'https://localhost/eu-west-1_AbC123xyz' }).join()).toMatch(
      /loopback identity provider is refused/,
    );
  });

  it.each([
    'https://localhost./eu-west-1_AbC123xyz',
    'https://idp.localhost/eu-west-1_AbC123xyz',
    'https://0.0.0.0/eu-west-1_AbC123xyz',
    'https://[::]/eu-west-1_AbC123xyz',
    'https://[::ffff:127.0.0.1]/eu-west-1_AbC123xyz',
    'https://2130706433/eu-west-1_AbC123xyz',
    'https://0x7f.1/eu-west-1_AbC123xyz',
    'https://127.3.2.1/eu-west-1_AbC123xyz',
    'https://LOCALHOST/eu-west-1_AbC123xyz',
  ])('refuses the loopback issuer %s in production', (issuer) => {
    expect(isLoopbackUrl(issuer)).toBe(true);
    const text = problemsOf({ ...prod, COGNITO_ISSUER: issuer }).join('\n');
    expect(text).toMatch(/COGNITO_ISSUER: a loopback identity provider is refused in production/);
    expect(text).toMatch(
      /COGNITO_ISSUER: must be the pool's Cognito issuer https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\/eu-west-1_AbC123xyz/,
    );
  });

  it.each(['https://0.0.0.0:9339', 'https://[::]:9339', 'https://a.localhost'])(
    'refuses the loopback SDK endpoint %s in production',
    (endpoint) => {
      expect(problemsOf({ ...prod, COGNITO_ENDPOINT: endpoint }).join()).toMatch(
        /COGNITO_ENDPOINT: a loopback identity provider is refused in production/,
      );
    },
  );

  it('does not take public or link-local hosts for loopback', () => {
    for (const url of ['https://169.254.169.254/', 'https://localhost.example.com/', 'https://[fe80::1]/'])
      expect(isLoopbackUrl(url), url).toBe(false);
  });

  it("refuses, in production, an issuer that is not the pool's Cognito issuer and keys from elsewhere", () => {
    expect(
      problemsOf({ ...prod, COGNITO_ISSUER: 'https://idp.example.com/eu-west-1_AbC123xyz' }).join(),
    ).toMatch(/COGNITO_ISSUER: must be the pool's Cognito issuer .* set UNSAFE_NON_COGNITO_ISSUER/);
    // Another pool's issuer is not this pool's.
    expect(
      problemsOf({
        ...prod,
        COGNITO_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other99',
      }).join(),
    ).toMatch(/COGNITO_ISSUER: must be the pool's Cognito issuer/);
    expect(problemsOf({ ...prod, COGNITO_JWKS_URI: 'https://keys.example.com/jwks.json' }).join()).toMatch(
      /COGNITO_JWKS_URI: must be <COGNITO_ISSUER>\/\.well-known\/jwks\.json in production/,
    );
    // China regions have their own domain.
    const cn = loadConfig({
      ...prod,
      COGNITO_REGION: 'cn-north-1',
      COGNITO_USER_POOL_ID: 'cn-north-1_AbC123xyz',
    });
    expect(cn.cognito.issuer).toBe('https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_AbC123xyz');
  });

  it('accepts another https issuer in production only when UNSAFE_NON_COGNITO_ISSUER names it', () => {
    const standIn = 'https://idp.rehearsal.test/eu-west-1_AbC123xyz';
    const c = loadConfig({ ...prod, COGNITO_ISSUER: standIn, UNSAFE_NON_COGNITO_ISSUER: standIn });
    expect(c.cognito.issuer).toBe(standIn);
    expect(c.cognito.jwksUri).toBe(`${standIn}/.well-known/jwks.json`);

    expect(
      problemsOf({ ...prod, COGNITO_ISSUER: standIn, UNSAFE_NON_COGNITO_ISSUER: 'true' }).join(),
    ).toMatch(/UNSAFE_NON_COGNITO_ISSUER: must equal COGNITO_ISSUER exactly/);
    expect(
      problemsOf({
        ...prod,
        COGNITO_ISSUER: standIn,
        UNSAFE_NON_COGNITO_ISSUER: standIn,
        COGNITO_JWKS_URI: 'https://keys.example.com/jwks.json',
      }).join(),
    ).toMatch(/COGNITO_JWKS_URI: must be on the same origin as COGNITO_ISSUER/);
    const http = 'http://idp.rehearsal.test/eu-west-1_AbC123xyz';
    expect(problemsOf({ ...prod, COGNITO_ISSUER: http, UNSAFE_NON_COGNITO_ISSUER: http }).join()).toMatch(
      /COGNITO_ISSUER: must use https in production/,
    );
  });
});
