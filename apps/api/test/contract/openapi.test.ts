import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { keyServerEnv, startJwksServer, type TestKeyServer, testConfig } from '../support/index.ts';

/**
 * The public contract as /docs shows it (ADR 0105): one naming convention, snake_case, for every
 * property and parameter of every body, and every operation declaring its error answers as
 * application/problem+json; a summary and a description on every operation, the padlock only where a
 * token is needed, shared schemas named (not `def-0`), and how to get a token (issue 15). Walks the
 * OpenAPI document the running app serves (attachments on), not the source.
 */

type Json = Record<string, unknown>;
interface Operation {
  summary?: string;
  description?: string;
  parameters?: { in: string; name: string; schema?: Json }[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses?: Record<string, { content?: Record<string, { schema?: Json }> }>;
  security?: unknown[];
}

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** The components a `$ref` points into (set once the document is read). */
let components: Record<string, Json> = {};
/** A schema with its `$ref` (to `#/components/schemas/<name>`) followed. */
function deref(schema: Json | undefined): Json | undefined {
  const ref = schema?.$ref;
  return typeof ref === 'string' ? components[ref.replace('#/components/schemas/', '')] : schema;
}

/** Every property name in a JSON schema, at any depth, with where it was found. */
function propertyNames(raw: unknown, where: string, out: [string, string][] = []): [string, string][] {
  const schema = raw && typeof raw === 'object' && !Array.isArray(raw) ? deref(raw as Json) : raw;
  if (Array.isArray(schema)) {
    for (const [i, s] of schema.entries()) propertyNames(s, `${where}[${i}]`, out);
    return out;
  }
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as Json;
  if (s.properties && typeof s.properties === 'object') {
    for (const [name, sub] of Object.entries(s.properties as Json)) {
      out.push([name, `${where}.${name}`]);
      propertyNames(sub, `${where}.${name}`, out);
    }
  }
  for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'not', 'additionalProperties'])
    if (key in s) propertyNames(s[key], `${where}/${key}`, out);
  return out;
}

describe('the OpenAPI document', () => {
  let keys: TestKeyServer;
  let app: FastifyInstance;
  let operations: [string, Operation][];
  let doc: { info: { description?: string }; paths: Record<string, Json>; components: { schemas: Json } };

  beforeAll(async () => {
    keys = await startJwksServer();
    // The attachment routes exist only with a bucket; nothing is sent to it while the docs are read.
    app = await buildApp(
      testConfig({ ...keyServerEnv(keys), ATTACHMENTS_BUCKET: 'docs', S3_ENDPOINT: 'http://127.0.0.1:9' }),
    );
    await app.ready();
    doc = (await app.inject({ url: '/docs/json' })).json() as typeof doc;
    components = doc.components.schemas as Record<string, Json>;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => m in item).map((m): [string, Operation] => [
        `${m.toUpperCase()} ${path}`,
        item[m] as Operation,
      ]),
    );
  });
  afterAll(async () => {
    await app?.close();
    await keys?.stop();
  });

  it('lists the API, its auth endpoints and the ops routes', () => {
    const names = operations.map(([name]) => name);
    expect(names.length).toBeGreaterThan(20);
    expect(names).toEqual(
      expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/items/', 'GET /health', 'GET /ready']),
    );
  });

  it('names every body property and every query and path parameter in snake_case', () => {
    const offenders: string[] = [];
    for (const [op, o] of operations) {
      for (const p of o.parameters ?? []) {
        // Header names are HTTP's own (if-match), not ours to choose.
        if (p.in !== 'header' && !SNAKE.test(p.name)) offenders.push(`${op} ${p.in} parameter ${p.name}`);
        for (const [name, where] of propertyNames(p.schema, `${op} ${p.in} ${p.name}`))
          if (!SNAKE.test(name)) offenders.push(where);
      }
      for (const [type, media] of Object.entries(o.requestBody?.content ?? {}))
        for (const [name, where] of propertyNames(media.schema, `${op} request ${type}`))
          if (!SNAKE.test(name)) offenders.push(where);
      for (const [status, response] of Object.entries(o.responses ?? {}))
        for (const [type, media] of Object.entries(response.content ?? {}))
          for (const [name, where] of propertyNames(media.schema, `${op} ${status} ${type}`))
            if (!SNAKE.test(name)) offenders.push(where);
    }
    expect(offenders).toEqual([]);
  });

  it('declares, on every operation, the error answers it can give as problem+json', () => {
    const missing: string[] = [];
    for (const [op, o] of operations) {
      const responses = o.responses ?? {};
      const errors = Object.keys(responses).filter((s) => /^[45]\d\d$/.test(s));
      // Anything can fail on our side.
      if (!errors.includes('500')) missing.push(`${op}: no 500`);
      // Input of any kind can be invalid.
      const takesInput =
        o.requestBody !== undefined || (o.parameters ?? []).some((p) => p.in === 'query' || p.in === 'path');
      if (takesInput && !errors.includes('400')) missing.push(`${op}: takes input but no 400`);
      if (o.requestBody && !(errors.includes('413') && errors.includes('415')))
        missing.push(`${op}: has a body but no 413/415`);
      // A guarded route (its own `security`) refuses a missing or bad token.
      if (o.security && !errors.includes('401')) missing.push(`${op}: signed in but no 401`);
      for (const status of errors) {
        const problem = deref(responses[status]?.content?.['application/problem+json']?.schema);
        if (!problem) {
          missing.push(`${op} ${status}: no application/problem+json body`);
          continue;
        }
        const props = Object.keys((problem.properties ?? {}) as Json);
        if (!['type', 'title', 'status', 'detail', 'errors', 'request_id'].every((k) => props.includes(k)))
          missing.push(`${op} ${status}: not the Problem schema (${props.join(', ')})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('gives every operation a summary and a description', () => {
    const missing = operations.flatMap(([op, o]) => [
      ...(o.summary?.trim() ? [] : [`${op}: no summary`]),
      ...(o.description?.trim() ? [] : [`${op}: no description`]),
    ]);
    expect(missing).toEqual([]);
    expect(operations.map(([op]) => op)).toEqual(
      expect.arrayContaining(['POST /api/v1/items/{id}/attachments/uploads']),
    );
  });

  it('puts the padlock on the routes that need a token, and only on them', async () => {
    const open = operations.filter(([, o]) => !o.security?.length).map(([op]) => op);
    expect(open.sort()).toEqual(
      [
        'GET /',
        'GET /health',
        'GET /ready',
        'POST /api/v1/auth/register',
        'POST /api/v1/auth/verify-otp',
        'POST /api/v1/auth/request-otp',
        'POST /api/v1/auth/reset-password',
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/challenge',
        'POST /api/v1/auth/refresh',
      ].sort(),
    );
    // No blanket requirement at the top that would put a padlock on the public ones too.
    expect((doc as { security?: unknown }).security).toBeUndefined();
    // What the document says is what the app does: a guarded GET without a token is refused...
    for (const [op, o] of operations) {
      const [method, path] = op.split(' ') as [string, string];
      if (method !== 'GET' || path.includes('{') || !o.security?.length) continue;
      expect([op, (await app.inject({ url: path })).statusCode]).toEqual([op, 401]);
    }
    // ...and an open one is not.
    expect((await app.inject({ url: '/' })).statusCode).toBe(200);
  });

  it('names its shared schemas (Item, Problem) instead of def-0, and refers to them', () => {
    const names = Object.keys(components);
    expect(names).toEqual(expect.arrayContaining(['Item', 'Problem']));
    expect(names.filter((n) => /^def-\d+$/.test(n))).toEqual([]);
    expect(JSON.stringify(doc)).not.toMatch(/def-\d+/);
    const login = operations.find(([op]) => op === 'POST /api/v1/auth/login')![1];
    expect(login.responses?.['400']?.content?.['application/problem+json']?.schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
  });

  it('says how to get a token to try it, and what an error looks like', () => {
    const text = doc.info.description ?? '';
    expect(text).toContain('POST /api/v1/auth/login');
    expect(text).toContain('Authorize');
    expect(text).toContain('access_token');
    expect(text).toContain('application/problem+json');
  });

  it('sends error bodies through those schemas unchanged (nothing dropped)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'not-an-address', password: '' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json() as Json;
    expect(body).toMatchObject({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The request is invalid.',
      request_id: res.headers['x-request-id'],
    });
    expect(body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'body/email', message: expect.any(String) })]),
    );
  });
});
