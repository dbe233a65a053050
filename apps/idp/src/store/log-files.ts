/**
 * The files behind the store (ADR 0184), in `<dataDir>/state/`:
 * - `snapshot-<g>.jsonl`: every entity, one record a line, then `{"end":<count>}`; written to a temp
 *   file, fsynced and renamed, so it exists only whole;
 * - `log-<g>.jsonl`: batches appended since generation g began, each batch its records then
 *   `{"commit":<n>}`, fsynced before the commit it carries is acknowledged.
 * Loading takes the newest snapshot, then replays the logs of its generation and later. A batch without
 * its commit line (a crash mid-append) was never acknowledged: it is dropped and cut off the file.
 */
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export type RecordLine = string;

export class StoreFileCorruptError extends Error {
  constructor(file: string, detail: string) {
    super(`the IdP state file ${file} is damaged (${detail}); it was not modified`);
    this.name = 'StoreFileCorruptError';
  }
}

/** One record as a line: the entity's key parts and value (no value: deleted). */
export const recordLine = (parts: string[], value: unknown): RecordLine =>
  value === undefined
    ? `{"k":${JSON.stringify(parts)}}\n`
    : `{"k":${JSON.stringify(parts)},"v":${JSON.stringify(value)}}\n`;

const snapshotName = (g: number) => `snapshot-${g}.jsonl`;
const logName = (g: number) => `log-${g}.jsonl`;
const genOf = (name: string, prefix: string) => {
  const m = new RegExp(`^${prefix}-(\\d+)\\.jsonl$`).exec(name);
  return m ? Number(m[1]) : undefined;
};

type Apply = (parts: unknown, value: unknown) => void;

/** Calls `each` for every newline-terminated line of `buf` (start, end offsets, without the newline). */
function forEachLine(buf: Buffer, each: (start: number, end: number) => void) {
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(10, start);
    if (nl < 0) return;
    each(start, nl);
    start = nl + 1;
  }
}

function parseLine(file: string, buf: Buffer, start: number, end: number): Record<string, unknown> {
  try {
    return JSON.parse(buf.toString('utf8', start, end));
  } catch (err) {
    throw new StoreFileCorruptError(file, `line at byte ${start}: ${(err as Error).message}`);
  }
}

async function loadSnapshot(file: string, apply: Apply) {
  const buf = await readFile(file);
  let ended = false;
  let count = 0;
  forEachLine(buf, (start, end) => {
    if (ended) throw new StoreFileCorruptError(file, 'records after the end line');
    const rec = parseLine(file, buf, start, end);
    if ('end' in rec) {
      if (rec.end !== count)
        throw new StoreFileCorruptError(file, `${count} records, end line says ${rec.end}`);
      ended = true;
    } else {
      apply(rec.k, rec.v);
      count++;
    }
  });
  if (!ended) throw new StoreFileCorruptError(file, 'no end line');
  return buf.length;
}

/** Replays the committed batches of a log; returns the length up to the last commit line. */
async function replayLog(file: string, apply: Apply): Promise<number> {
  const buf = await readFile(file);
  let pending: Array<[unknown, unknown]> = [];
  let committed = 0;
  let tornAt: number | undefined;
  forEachLine(buf, (start, end) => {
    if (tornAt !== undefined) return;
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(buf.toString('utf8', start, end));
    } catch {
      // Only an unacknowledged tail may be torn; a bad line before a later commit line is damage.
      tornAt = start;
      return;
    }
    if ('commit' in rec) {
      for (const [k, v] of pending) apply(k, v);
      pending = [];
      committed = end + 1;
    } else pending.push([rec.k, rec.v]);
  });
  if (tornAt !== undefined && buf.indexOf('{"commit":', tornAt) >= 0)
    throw new StoreFileCorruptError(file, `unreadable line at byte ${tornAt} before a committed batch`);
  return committed;
}

async function syncDir(dir: string) {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; renames are still atomic there.
  } finally {
    await handle.close();
  }
}

export class LogFiles {
  private batches = 0;
  private compacting: Promise<void> | undefined;

  private constructor(
    readonly dir: string,
    private gen: number,
    private handle: Awaited<ReturnType<typeof open>>,
    private size: number,
    private snapshotSize: number,
    /** Whether a snapshot or a committed batch was found. */
    readonly hasData: boolean,
  ) {}

  /** Loads everything into `apply` and opens the current log for appending. */
  static async open(dataDir: string, apply: Apply): Promise<LogFiles> {
    const dir = join(dataDir, 'state');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const names = await readdir(dir);
    for (const n of names) if (n.endsWith('.tmp')) await unlink(join(dir, n));
    const snapshots = names.flatMap((n) => genOf(n, 'snapshot') ?? []).sort((a, b) => a - b);
    const logs = names.flatMap((n) => genOf(n, 'log') ?? []).sort((a, b) => a - b);
    const base = snapshots.at(-1) ?? 0;
    const snapshotSize = base ? await loadSnapshot(join(dir, snapshotName(base)), apply) : 0;
    const live = logs.filter((g) => g >= base);
    let committed = 0;
    let anyBatch = false;
    for (const g of live) {
      committed = await replayLog(join(dir, logName(g)), apply);
      anyBatch ||= committed > 0;
    }
    // Files of older generations are what a compaction had not yet removed.
    for (const g of snapshots.filter((s) => s < base)) await unlink(join(dir, snapshotName(g)));
    for (const g of logs.filter((l) => l < base)) await unlink(join(dir, logName(g)));
    const gen = Math.max(base, live.at(-1) ?? 0, 1);
    const handle = await open(join(dir, logName(gen)), 'a+', 0o600).then(async (h) => {
      await h.close();
      return open(join(dir, logName(gen)), 'r+');
    });
    const tail = live.at(-1) === gen ? committed : 0;
    // Cut an unacknowledged torn batch off, so the next batch does not follow it.
    await handle.truncate(tail);
    await handle.sync();
    await syncDir(dir);
    return new LogFiles(dir, gen, handle, tail, snapshotSize, base > 0 || anyBatch);
  }

  /** Appends one batch of record lines and its commit line, and waits until it is on disk. */
  async append(lines: RecordLine[]): Promise<void> {
    const buf = Buffer.from(`${lines.join('')}{"commit":${++this.batches}}\n`);
    try {
      await this.handle.write(buf, 0, buf.length, this.size);
      await this.handle.datasync();
    } catch (err) {
      await this.handle.truncate(this.size).catch(() => {});
      throw err;
    }
    this.size += buf.length;
  }

  /** A log bigger than the snapshot (and than a few MB) is worth folding into a new snapshot. */
  get wantsCompaction(): boolean {
    return !this.compacting && this.size > Math.max(8 << 20, this.snapshotSize);
  }

  /**
   * Starts generation g+1: appends go to a new log from now on; a snapshot of the entities as they are
   * while it is written (read chunk by chunk, yielding in between) becomes snapshot-(g+1); then the
   * older files go. Replaying log g+1 over that snapshot is exact, whatever moment each entity was
   * read at, because every record is an entity's whole value. Call it between appends.
   */
  async rotate(entities: () => Iterable<[string[], unknown]>): Promise<() => Promise<void>> {
    const old = this.gen;
    const next = old + 1;
    const handle = await open(join(this.dir, logName(next)), 'w+', 0o600);
    await syncDir(this.dir);
    await this.handle.close();
    this.handle = handle;
    this.gen = next;
    this.size = 0;
    const done = this.writeSnapshot(next, entities).then(async (size) => {
      this.snapshotSize = size;
      await unlink(join(this.dir, snapshotName(old))).catch(() => {});
      await unlink(join(this.dir, logName(old))).catch(() => {});
    });
    // A failed snapshot leaves the older generation in place: loading replays both logs.
    this.compacting = done
      .catch(() => {})
      .finally(() => {
        this.compacting = undefined;
      });
    return () => done;
  }

  private async writeSnapshot(gen: number, entities: () => Iterable<[string[], unknown]>) {
    const tmp = join(this.dir, `${snapshotName(gen)}.tmp`);
    const out = await open(tmp, 'w', 0o600);
    let size = 0;
    let count = 0;
    try {
      let chunk: string[] = [];
      const flush = async () => {
        const buf = Buffer.from(chunk.join(''));
        chunk = [];
        await out.write(buf);
        size += buf.length;
        // Let requests run between chunks: a big pool takes a while to write.
        await new Promise((r) => setImmediate(r));
      };
      for (const [parts, value] of entities()) {
        chunk.push(recordLine(parts, value));
        count++;
        if (chunk.length >= 2000) await flush();
      }
      chunk.push(`{"end":${count}}\n`);
      await flush();
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(tmp, join(this.dir, snapshotName(gen)));
    await syncDir(this.dir);
    return size;
  }

  /** Waits for a compaction under way. */
  async settled(): Promise<void> {
    await this.compacting?.catch(() => {});
  }

  async close(): Promise<void> {
    await this.settled();
    await this.handle.close();
  }
}
