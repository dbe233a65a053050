/**
 * Change tracking for the in-memory state (ADR 0184). Operations keep reading and writing
 * `store.state` as plain objects; the state they see is a view made of proxies that note which
 * entity — a pool's settings, one user, one client, one session, the mailbox, the bootstrap record —
 * a write lands in. The store then appends only those entities to its log: the write cost follows
 * what an operation changed, not the size of the state.
 *
 * Proxies are made on first access and cached per object, so a record read twice is the same object
 * (identity comparisons keep working). Values written are stored unwrapped: the raw state never holds
 * a proxy.
 */
import { type EntityKey, entityKey } from './entities.ts';
import type { State } from './state.ts';
import { signInIndex } from './user-index.ts';

export interface TrackerHooks {
  /** An entity was written (set, deleted or changed inside). */
  changed(key: EntityKey): void;
  /** A write replaced a whole collection (`state.pools = …`, `pool.users = …`): rewrite everything. */
  changedAll(): void;
  /** What a pool view answers for `signInIndex` (user-index.ts). */
  indexOf(poolId: string): unknown;
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

export class Tracker {
  private readonly cache = new WeakMap<object, object>();
  private readonly targets = new WeakMap<object, object>();
  readonly view: State;

  constructor(
    private readonly raw: State,
    private readonly hooks: TrackerHooks,
  ) {
    this.view = this.rootView();
  }

  /** The raw object behind a view (or the value itself when it is not one). */
  unwrap<T>(value: T): T {
    return (isObject(value) ? (this.targets.get(value) ?? value) : value) as T;
  }

  /**
   * A value about to be stored: a view becomes its raw object, and views nested in a plain object
   * or array (`{ ...user.mfa }` copies them) are replaced by theirs.
   */
  private store(value: unknown, depth = 0): unknown {
    if (!isObject(value)) return value;
    const target = this.targets.get(value);
    if (target) return target;
    if (depth > 32) return value;
    const proto = Object.getPrototypeOf(value);
    if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
    const rec = value as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      const v = rec[k];
      if (isObject(v)) {
        const s = this.store(v, depth + 1);
        if (s !== v) rec[k] = s;
      }
    }
    return value;
  }

  /** One view per raw object, so a record read twice is the same object. */
  private cached<T extends object>(target: T, make: () => ProxyHandler<T>): T {
    const hit = this.cache.get(target);
    if (hit) return hit as T;
    const proxy = new Proxy(target, make());
    this.targets.set(proxy, target);
    this.cache.set(target, proxy);
    return proxy;
  }

  /** Everything inside one entity: any write marks that entity. */
  private entityView<T extends object>(target: T, key: EntityKey): T {
    return this.cached(target, () => ({
      get: (t, p) => {
        const v = Reflect.get(t, p);
        return isObject(v) ? this.entityView(v, key) : v;
      },
      set: (t, p, v) => {
        (t as Record<PropertyKey, unknown>)[p] = this.store(v);
        this.hooks.changed(key);
        return true;
      },
      deleteProperty: (t, p) => {
        delete (t as Record<PropertyKey, unknown>)[p];
        this.hooks.changed(key);
        return true;
      },
      defineProperty: (t, p, d) => {
        const ok = Reflect.defineProperty(t, p, 'value' in d ? { ...d, value: this.store(d.value) } : d);
        this.hooks.changed(key);
        return ok;
      },
    }));
  }

  /** A keyed collection (clients, sessions, a pool's users): each key is its own entity. */
  private collectionView<T extends object>(
    target: T,
    keyOf: (id: string) => EntityKey,
    member: (v: object, key: EntityKey) => object = (v, key) => this.entityView(v, key),
    replaced?: (id: string, before: unknown, after: unknown) => void,
  ): T {
    return this.cached(target, () => ({
      get: (t, p) => {
        const v = Reflect.get(t, p);
        if (typeof p !== 'string' || !isObject(v)) return v;
        // The cache first: building the entity key for every read of a big collection costs.
        return this.cache.get(v) ?? member(v, keyOf(p));
      },
      set: (t, p, v) => {
        const rec = t as Record<PropertyKey, unknown>;
        const before = rec[p];
        rec[p] = this.store(v);
        if (typeof p === 'string') {
          this.hooks.changed(keyOf(p));
          replaced?.(p, before, rec[p]);
        }
        return true;
      },
      deleteProperty: (t, p) => {
        const rec = t as Record<PropertyKey, unknown>;
        const before = rec[p];
        delete rec[p];
        if (typeof p === 'string') {
          this.hooks.changed(keyOf(p));
          replaced?.(p, before, undefined);
        }
        return true;
      },
      defineProperty: (t, p, d) => {
        const ok = Reflect.defineProperty(t, p, 'value' in d ? { ...d, value: this.store(d.value) } : d);
        if (typeof p === 'string') this.hooks.changed(keyOf(p));
        return ok;
      },
    }));
  }

  /** A pool: its users are a collection of their own; every other field belongs to the pool entity. */
  private poolView(target: object, key: EntityKey): object {
    const poolId = key.parts[1]!;
    const changed = (p: PropertyKey) => (p === 'users' ? this.hooks.changedAll() : this.hooks.changed(key));
    return this.cached(target, () => ({
      get: (t, p) => {
        if (p === signInIndex) return this.hooks.indexOf(poolId);
        const v = Reflect.get(t, p);
        if (!isObject(v)) return v;
        return p === 'users'
          ? this.collectionView(v, (name) => entityKey('user', poolId, name))
          : this.entityView(v, key);
      },
      set: (t, p, v) => {
        (t as Record<PropertyKey, unknown>)[p] = this.store(v);
        changed(p);
        return true;
      },
      deleteProperty: (t, p) => {
        delete (t as Record<PropertyKey, unknown>)[p];
        changed(p);
        return true;
      },
    }));
  }

  /** A pool added, replaced or deleted: its users, before and after, are written too. */
  private poolReplaced(poolId: string, before: unknown, after: unknown) {
    for (const pool of [before, after]) {
      const users = isObject(pool) ? (pool as { users?: unknown }).users : undefined;
      if (isObject(users))
        for (const name of Object.keys(users)) this.hooks.changed(entityKey('user', poolId, name));
    }
  }

  private rootView(): State {
    const views: Record<string, (v: object) => object> = {
      pools: (v) =>
        this.collectionView(
          v,
          (id) => entityKey('pool', id),
          (p, k) => this.poolView(p, k),
          (id, before, after) => this.poolReplaced(id, before, after),
        ),
      clients: (v) => this.collectionView(v, (id) => entityKey('client', id)),
      sessions: (v) => this.collectionView(v, (id) => entityKey('session', id)),
      mailbox: (v) => this.entityView(v, entityKey('mailbox')),
      bootstrap: (v) => this.entityView(v, entityKey('bootstrap')),
    };
    return new Proxy(this.raw, {
      get: (t, p) => {
        const v = Reflect.get(t, p);
        const view = typeof p === 'string' && isObject(v) ? views[p] : undefined;
        return view ? view(v as object) : v;
      },
      set: (t, p, v) => {
        (t as unknown as Record<PropertyKey, unknown>)[p] = this.store(v);
        if (p === 'bootstrap') this.hooks.changed(entityKey('bootstrap'));
        else if (p === 'mailbox') this.hooks.changed(entityKey('mailbox'));
        else this.hooks.changedAll();
        return true;
      },
      deleteProperty: (t, p) => {
        delete (t as unknown as Record<PropertyKey, unknown>)[p];
        if (p === 'bootstrap') this.hooks.changed(entityKey('bootstrap'));
        else this.hooks.changedAll();
        return true;
      },
    });
  }
}
