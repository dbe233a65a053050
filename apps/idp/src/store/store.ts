import { allEntities, type EntityKey, entityValue, StateAssembler } from './entities.ts';
import { migrateStateFile, retireStateFile, StateFileCorruptError } from './legacy.ts';
import { LogFiles, type RecordLine, recordLine } from './log-files.ts';
import { emptyState, type MailMessage, reviveState, type State, StateShapeError } from './state.ts';
import { Tracker } from './track.ts';
import { UserIndexes } from './user-index.ts';

export { StateFileCorruptError } from './legacy.ts';
export { StoreFileCorruptError } from './log-files.ts';

/**
 * The whole state lives in memory; `state` is a view of it that notes which entities a write touches
 * (track.ts), and a commit appends just those to a log (log-files.ts, ADR 0184). Commits are serialised
 * and coalesced: a commit resolves once a batch that started after it has reached the disk, so an
 * operation answers only when its change is durable, and a burst of changes costs one fsync.
 */
export class Store {
  private queued: Promise<void> | null = null;
  private tail: Promise<void> = Promise.resolve();
  private readonly dirty = new Map<string, EntityKey>();
  private rewriteAll = false;
  /** Mailbox messages as last written, by id: the mailbox is written as what was added and removed. */
  private mailWritten = new Map<string, MailMessage>();
  private readonly tracker: Tracker;
  /** Per-pool look-ups by sign-in attribute (users/lookup.ts). */
  readonly userIndexes: UserIndexes;
  readonly state: State;
  /** Called on every commit() (tests count commits through it: ADR 0079). */
  onCommit: () => void = () => {};

  private constructor(
    private readonly raw: State,
    private readonly files: LogFiles,
    readonly isNew: boolean,
  ) {
    for (const m of raw.mailbox) this.mailWritten.set(m.id, m);
    this.userIndexes = new UserIndexes(raw);
    this.tracker = new Tracker(raw, {
      changed: (key) => {
        this.dirty.set(key.id, key);
        if (key.parts[0] === 'user') this.userIndexes.changed(key.parts[1]!, key.parts[2]!);
      },
      changedAll: () => {
        this.rewriteAll = true;
        this.userIndexes.clear();
      },
      indexOf: (poolId) => this.userIndexes.of(poolId),
    });
    this.state = this.tracker.view;
  }

  /** The raw record behind a value read from `state` (for indexes keyed by record). */
  unwrap<T>(value: T): T {
    return this.tracker.unwrap(value);
  }

  static async open(dataDir: string): Promise<Store> {
    const assembler = new StateAssembler();
    const files = await LogFiles.open(dataDir, (k, v) => assembler.apply(k, v));
    try {
      if (!files.hasData) {
        const legacy = await migrateStateFile(dataDir, files);
        if (legacy) return new Store(legacy, files, false);
        return new Store(emptyState(), files, true);
      }
      await retireStateFile(dataDir);
      return new Store(reviveState(assembler.document()), files, false);
    } catch (err) {
      await files.close();
      throw err instanceof StateShapeError ? new StateFileCorruptError(files.dir, err) : err;
    }
  }

  commit(): Promise<void> {
    this.onCommit();
    if (!this.queued) {
      this.queued = this.tail.then(() => {
        this.queued = null;
        return this.writeBatch();
      });
      this.tail = this.queued.catch(() => {});
    }
    return this.queued;
  }

  /** Wait for every write already asked for. */
  async flush(): Promise<void> {
    await this.tail;
  }

  /** Folds the log into a new snapshot now and waits for it (the bench seeds pools this way). */
  async compact(): Promise<void> {
    await this.commit();
    const done = await this.enqueue(() => this.files.rotate(() => allEntities(this.raw)));
    await done();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.files.close();
  }

  private enqueue<T>(step: () => Promise<T>): Promise<T> {
    const run = this.tail.then(step);
    this.tail = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  private async writeBatch(): Promise<void> {
    if (this.rewriteAll) {
      // A whole collection was replaced: only a new snapshot says what is gone.
      this.rewriteAll = false;
      this.dirty.clear();
      this.mailWritten = new Map(this.raw.mailbox.map((m) => [m.id, m]));
      await (await this.files.rotate(() => allEntities(this.raw)))();
      return;
    }
    const keys = [...this.dirty.values()];
    this.dirty.clear();
    const lines: RecordLine[] = [];
    let mail: Map<string, MailMessage> | undefined;
    for (const key of keys) {
      if (key.parts[0] === 'mailbox') mail = this.mailLines(lines);
      else lines.push(recordLine(key.parts, entityValue(this.raw, key.parts)));
    }
    if (lines.length === 0) return;
    try {
      await this.files.append(lines);
    } catch (err) {
      for (const key of keys) this.dirty.set(key.id, key);
      throw err;
    }
    if (mail) this.mailWritten = mail;
    if (this.files.wantsCompaction) {
      // Only the switch to a new log is awaited: the snapshot is written while later batches go there.
      await this.files.rotate(() => allEntities(this.raw));
    }
  }

  /** Records for the messages added to and removed from the mailbox since it was last written. */
  private mailLines(lines: RecordLine[]): Map<string, MailMessage> {
    const now = new Map(this.raw.mailbox.map((m) => [m.id, m]));
    for (const [id, m] of now) if (this.mailWritten.get(id) !== m) lines.push(recordLine(['mail', id], m));
    for (const id of this.mailWritten.keys())
      if (!now.has(id)) lines.push(recordLine(['mail', id], undefined));
    return now;
  }
}
