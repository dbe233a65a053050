/**
 * A pool of up to `size` worker threads for the SRP server math (ADR 0185), so sign-ins use every core
 * instead of the IdP's one event loop. Threads start on demand (an IdP that never sees SRP starts none):
 * a request starts a new one while every running one is busy, else goes to the one with the fewest
 * requests in flight (ties rotate); a worker that dies fails its requests in flight with SrpWorkerError and is replaced; close()
 * terminates them all (the IdP's stop()).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type SrpError, SrpInputError, SrpProtocolError } from '@app/cognito-srp';
import type { SrpOp, SrpOpInput, SrpOpResult, SrpReply } from './srp-worker-ops.ts';

/** The pool could not answer: closed, or the worker thread died with the request in flight. */
export class SrpWorkerError extends Error {
  override readonly name = 'SrpWorkerError';
}

const srpErrors: Record<string, new (message: string) => SrpError> = {
  SrpInputError,
  SrpProtocolError,
};

/** A worker's error, rebuilt on this side: SrpError subclasses keep their class (callers map them). */
function rebuild(error: { name: string; message: string }): Error {
  const Known = srpErrors[error.name];
  if (Known) return new Known(error.message);
  return new SrpWorkerError(`SRP worker failed: ${error.name}: ${error.message}`);
}

/** IDP_SRP_WORKERS if set, else one per core the process may use; at least 1. */
export function defaultSrpWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.IDP_SRP_WORKERS;
  if (raw === undefined || raw === '') return Math.max(1, availableParallelism());
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new SrpWorkerError(`IDP_SRP_WORKERS must be a whole number from 1 to 64, not "${raw}"`);
  return n;
}

/**
 * From source (tsx, vitest) a plain .mjs loads tsx and then srp-worker.ts; in the bundle (docker/bundle.ts)
 * srp-worker.mjs sits beside main.mjs. The name is a variable on purpose: the bundler rewrites literal
 * `new URL('…', import.meta.url)` to source-relative paths, and here the bundle's own place is meant.
 */
function defaultWorkerUrl(): URL {
  const file = import.meta.url.endsWith('.ts') ? './srp-worker-loader.mjs' : './srp-worker.mjs';
  return new URL(file, import.meta.url);
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  answered: boolean;
}

export interface SrpWorkersOptions {
  size?: number;
  /** Test seam: another worker script speaking the same messages. */
  workerUrl?: URL;
}

export class SrpWorkers {
  readonly size: number;
  private readonly url: URL;
  private readonly slots: Slot[] = [];
  private readonly exits = new Set<Promise<unknown>>();
  private readonly byThread = new Map<number, number>();
  private nextId = 1;
  private turn = 0;
  private closed = false;
  /** Workers that died before answering anything, in a row: a broken install, not a crash to heal. */
  private deadOnArrival = 0;
  private broken: SrpWorkerError | undefined;
  /** Worker threads started so far, replacements included. */
  spawned = 0;

  constructor(options: SrpWorkersOptions = {}) {
    this.size = options.size ?? defaultSrpWorkerCount();
    if (!Number.isInteger(this.size) || this.size < 1)
      throw new SrpWorkerError(`SRP worker pool size must be a whole number ≥ 1, not ${this.size}`);
    this.url = options.workerUrl ?? defaultWorkerUrl();
  }

  run<K extends SrpOp>(op: K, input: SrpOpInput<K>): Promise<SrpOpResult<K>> {
    if (this.closed) return Promise.reject(new SrpWorkerError('SRP worker pool is closed'));
    if (this.broken) return Promise.reject(this.broken);
    const slot = this.pick();
    const id = this.nextId++;
    return new Promise<SrpOpResult<K>>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      slot.worker.ref();
      slot.worker.postMessage({ id, op, input });
    });
  }

  /** Requests answered per worker thread id (tests check the work happened off the main thread). */
  tasksByThread(): Map<number, number> {
    return new Map(this.byThread);
  }

  /** Worker threads currently running (0 once close() has resolved). */
  get live(): number {
    return this.exits.size;
  }

  /** Terminates every worker; requests still in flight fail with SrpWorkerError. */
  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) void slot.worker.terminate();
    await Promise.all([...this.exits]);
  }

  private pick(): Slot {
    if (this.slots.length < this.size && this.slots.every((slot) => slot.pending.size > 0)) {
      const slot = this.spawn();
      this.slots.push(slot);
      return slot;
    }
    let best: Slot | undefined;
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[(this.turn + i) % this.slots.length]!;
      if (!best || slot.pending.size < best.pending.size) best = slot;
    }
    this.turn = (this.turn + 1) % this.slots.length;
    return best!;
  }

  private spawn(): Slot {
    // No inherited execArgv: `npm start` runs the IdP with `--import <tether.ts>` (ADR 0080), which a
    // worker would re-run before tsx is loaded ("Unknown file extension .ts"); the entry loads its own.
    const worker = new Worker(this.url, { execArgv: [] });
    const slot: Slot = { worker, pending: new Map(), answered: false };
    this.spawned++;
    worker.unref();
    worker.on('message', (reply: SrpReply) => this.settle(slot, reply));
    let failure: Error | undefined;
    worker.on('error', (err) => {
      failure = err;
    });
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', (code) => {
        this.exits.delete(exited);
        this.onExit(slot, code, failure);
        resolve();
      }),
    );
    this.exits.add(exited);
    return slot;
  }

  private settle(slot: Slot, reply: SrpReply) {
    const pending = slot.pending.get(reply.id);
    if (!pending) return;
    slot.pending.delete(reply.id);
    slot.answered = true;
    this.deadOnArrival = 0;
    if (slot.pending.size === 0) slot.worker.unref();
    this.byThread.set(reply.threadId, (this.byThread.get(reply.threadId) ?? 0) + 1);
    if ('error' in reply) pending.reject(rebuild(reply.error));
    else pending.resolve(reply.value);
  }

  private onExit(slot: Slot, code: number, failure: Error | undefined) {
    const why = this.closed
      ? 'the SRP worker pool was closed'
      : `the SRP worker thread stopped (exit code ${code}${failure ? `: ${failure.message}` : ''})`;
    for (const pending of slot.pending.values())
      pending.reject(new SrpWorkerError(`${why} while answering this request`));
    slot.pending.clear();
    if (this.closed) return;
    if (!slot.answered && ++this.deadOnArrival >= 3) {
      this.broken = new SrpWorkerError(`SRP worker threads keep dying before answering: ${why}`);
      return;
    }
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots[at] = this.spawn();
  }
}
