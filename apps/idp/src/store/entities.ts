/**
 * The state cut into entities, the unit the store writes (ADR 0184): a pool's settings (without its
 * users), one user, one client, one session, one mailbox message, the bootstrap record. A log record
 * is one entity's whole current value, or its deletion, so replaying records in order in any state
 * that already holds some of them gives the same result.
 */
import { dict } from './dict.ts';
import type { MailMessage, State } from './state.ts';

export type EntityKind = 'pool' | 'user' | 'client' | 'session' | 'mail' | 'mailbox' | 'bootstrap';

/** `parts` = [kind, ...ids]; `id` is their JSON, unique per entity. */
export interface EntityKey {
  parts: string[];
  id: string;
}

export function entityKey(kind: EntityKind, ...ids: string[]): EntityKey {
  const parts = [kind, ...ids];
  return { parts, id: JSON.stringify(parts) };
}

export class RecordShapeError extends Error {
  override name = 'RecordShapeError';
}

/** The entity's current value in its stored form; undefined when it no longer exists. */
export function entityValue(raw: State, parts: string[]): unknown {
  const [kind, a = '', b = ''] = parts;
  switch (kind) {
    case 'pool': {
      const pool = raw.pools[a];
      if (!pool) return undefined;
      const { users: _users, ...settings } = pool;
      return settings;
    }
    case 'user':
      return raw.pools[a]?.users[b];
    case 'client':
      return raw.clients[a];
    case 'session':
      return raw.sessions[a];
    case 'bootstrap':
      return raw.bootstrap;
    default:
      throw new RecordShapeError(`no single value for entity ${JSON.stringify(parts)}`);
  }
}

/** Every entity of the state, for a snapshot. */
export function* allEntities(raw: State): Generator<[string[], unknown]> {
  if (raw.bootstrap) yield [['bootstrap'], raw.bootstrap];
  for (const id of Object.keys(raw.pools)) {
    yield [['pool', id], entityValue(raw, ['pool', id])];
    const users = raw.pools[id]?.users ?? {};
    for (const name of Object.keys(users)) yield [['user', id, name], users[name]];
  }
  for (const id of Object.keys(raw.clients)) yield [['client', id], raw.clients[id]];
  for (const id of Object.keys(raw.sessions)) yield [['session', id], raw.sessions[id]];
  // A copy: the mailbox may be trimmed while a snapshot is written chunk by chunk.
  for (const m of [...raw.mailbox]) yield [['mail', m.id], m];
}

type Json = Record<string, unknown>;

/**
 * Collects records read back from disk into the shape state.json had, for reviveState. Containers are
 * prototype-less, so ids like `__proto__` stay plain keys.
 */
export class StateAssembler {
  private readonly pools = dict<Json>();
  private readonly users = dict<Json>();
  private readonly clients = dict<unknown>();
  private readonly sessions = dict<unknown>();
  private readonly mail = new Map<string, unknown>();
  private bootstrap: unknown;
  count = 0;

  apply(parts: unknown, value: unknown) {
    if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string'))
      throw new RecordShapeError('a record key must be an array of strings');
    const [kind, a = '', b = ''] = parts as string[];
    const put = value !== undefined;
    this.count++;
    switch (kind) {
      case 'pool':
        if (put) this.pools[a] = value as Json;
        else {
          delete this.pools[a];
          delete this.users[a];
        }
        return;
      case 'user': {
        this.users[a] ??= dict();
        if (put) this.users[a]![b] = value;
        else delete this.users[a]![b];
        return;
      }
      case 'client':
        if (put) this.clients[a] = value;
        else delete this.clients[a];
        return;
      case 'session':
        if (put) this.sessions[a] = value;
        else delete this.sessions[a];
        return;
      case 'mail':
        if (put) this.mail.set(a, value);
        else this.mail.delete(a);
        return;
      case 'bootstrap':
        this.bootstrap = value;
        return;
      default:
        throw new RecordShapeError(`unknown record kind ${JSON.stringify(kind)}`);
    }
  }

  /** The assembled document (users without a pool record are dropped: their pool was deleted). */
  document(): Json {
    const pools = dict<Json>();
    for (const id of Object.keys(this.pools)) pools[id] = { ...this.pools[id], users: this.users[id] ?? {} };
    return {
      version: 1,
      pools,
      clients: this.clients,
      sessions: this.sessions,
      mailbox: [...this.mail.values()] as MailMessage[],
      ...(this.bootstrap !== undefined ? { bootstrap: this.bootstrap } : {}),
    };
  }
}
