import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';
import { emptyState, reviveState, type State } from './state.ts';

export class StateFileCorruptError extends Error {
  constructor(file: string, cause: unknown) {
    const what = cause instanceof SyntaxError ? 'not valid JSON' : 'not an IdP state';
    super(`the IdP state file ${file} is ${what} (${(cause as Error).message}); it was not modified`);
    this.name = 'StateFileCorruptError';
  }
}

/**
 * The whole state lives in memory and is written as one JSON file after every change. Writes are
 * serialised and coalesced: a commit resolves once a write that started after it has reached the disk,
 * so an operation answers only when its change is durable, and a burst of changes costs one write.
 */
export class Store {
  private queued: Promise<void> | null = null;
  private tail: Promise<void> = Promise.resolve();
  /** Called on every commit() (tests count commits through it: ADR 0079). */
  onCommit: () => void = () => {};

  private constructor(
    readonly file: string,
    public state: State,
    readonly isNew: boolean,
  ) {}

  static async open(dataDir: string): Promise<Store> {
    const file = join(dataDir, 'state.json');
    await removeStaleTempFiles(dataDir);
    let raw: string;
    try {
      raw = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Store(file, emptyState(), true);
      throw err;
    }
    try {
      return new Store(file, reviveState(JSON.parse(raw)), false);
    } catch (err) {
      throw new StateFileCorruptError(file, err);
    }
  }

  commit(): Promise<void> {
    this.onCommit();
    if (!this.queued) {
      this.queued = this.tail.then(() => {
        this.queued = null;
        return writeFileAtomic(this.file, JSON.stringify(this.state));
      });
      this.tail = this.queued.catch(() => {});
    }
    return this.queued;
  }

  /** Wait for every write already asked for. */
  async flush(): Promise<void> {
    await this.tail;
  }
}

/** Temp files left by a crash between write and rename hold nothing the state file lacks. */
async function removeStaleTempFiles(dataDir: string) {
  for (const name of await readdir(dataDir)) {
    if (name.startsWith('.') && name.endsWith('.tmp')) await unlink(join(dataDir, name)).catch(() => {});
  }
}
