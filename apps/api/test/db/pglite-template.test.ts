/**
 * A new PGlite folder starts from a copy of an initialised cluster (ADR 0103): the template is made
 * once, in the cache folder, and each data folder stays its own database.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDb } from '../../src/db/pglite.ts';

const root = mkdtempSync(join(tmpdir(), 'pglite-template-'));
const saved = { cache: process.env.XDG_CACHE_HOME, switch: process.env.PGLITE_TEMPLATE };

beforeAll(() => {
  process.env.XDG_CACHE_HOME = join(root, 'cache');
  delete process.env.PGLITE_TEMPLATE;
});
afterAll(() => {
  for (const [name, value] of [
    ['XDG_CACHE_HOME', saved.cache],
    ['PGLITE_TEMPLATE', saved.switch],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(root, { recursive: true, force: true });
});

describe('PGlite template', () => {
  it('makes the template once and starts each new folder as its own, empty database', async () => {
    const first = await createPgliteDb(join(root, 'a'));
    const templates = readdirSync(join(root, 'cache', 'cognito-stack'));
    expect(templates).toHaveLength(1);
    expect(templates[0]).toMatch(/^pglite-template-[0-9a-f]{16}$/);
    await first.exec('create table only_in_a (id int)');
    await first.close();

    const second = await createPgliteDb(join(root, 'b'));
    try {
      const { rows } = await second.query<{ n: number }>(
        "select count(*)::int as n from information_schema.tables where table_name = 'only_in_a'",
      );
      expect(rows[0]!.n).toBe(0);
      await second.exec('create table only_in_b (id int)');
    } finally {
      await second.close();
    }
    // The template itself stayed empty (the copies are independent) and is still the only one.
    expect(readdirSync(join(root, 'cache', 'cognito-stack'))).toEqual(templates);
    const again = await createPgliteDb(join(root, 'a'));
    try {
      const { rows } = await again.query<{ n: number }>(
        "select count(*)::int as n from information_schema.tables where table_name in ('only_in_a', 'only_in_b')",
      );
      expect(rows[0]!.n).toBe(1);
    } finally {
      await again.close();
    }
  }, 240_000);

  it('PGLITE_TEMPLATE=off leaves the folder to initdb and makes no template', async () => {
    process.env.PGLITE_TEMPLATE = 'off';
    process.env.XDG_CACHE_HOME = join(root, 'cache-off');
    try {
      const db = await createPgliteDb(join(root, 'c'));
      await db.close();
      expect(existsSync(join(root, 'c', 'pglite', 'PG_VERSION'))).toBe(true);
      expect(existsSync(join(root, 'cache-off'))).toBe(false);
    } finally {
      delete process.env.PGLITE_TEMPLATE;
      process.env.XDG_CACHE_HOME = join(root, 'cache');
    }
  }, 240_000);
});
