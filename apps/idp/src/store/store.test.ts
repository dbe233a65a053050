import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from './store.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idp-store-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const onDisk = async () => JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));

describe('Store', () => {
  it('starts empty in a new folder and says so', async () => {
    const store = await Store.open(dir);
    expect(store.isNew).toBe(true);
    expect(store.state.pools).toEqual({});
  });

  it('resolves a commit only once the change it covers is on disk', async () => {
    const store = await Store.open(dir);
    store.state.mailbox.push({
      id: '1',
      to: 'a@example.com',
      kind: 'signup',
      subject: 's',
      body: 'b',
      code: '1',
      createdAt: 'now',
    });
    await store.commit();
    expect((await onDisk()).mailbox).toHaveLength(1);
  });

  it('coalesces a burst of commits and never acknowledges a change before it is written', async () => {
    const store = await Store.open(dir);
    const commits: Array<Promise<void>> = [];
    for (let i = 0; i < 50; i++) {
      store.state.mailbox.push({
        id: String(i),
        to: 'b@example.com',
        kind: 'reset',
        subject: 's',
        body: 'b',
        code: String(i),
        createdAt: 'now',
      });
      const n = i + 1;
      commits.push(
        store.commit().then(async () => expect((await onDisk()).mailbox.length).toBeGreaterThanOrEqual(n)),
      );
    }
    await Promise.all(commits);
    expect((await onDisk()).mailbox).toHaveLength(50);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const reopened = await Store.open(dir);
    expect(reopened.isNew).toBe(false);
    expect(reopened.state.mailbox.map((m) => m.id)).toEqual(store.state.mailbox.map((m) => m.id));
  });
});
