import { randomUUID } from 'node:crypto';

export interface Invocation {
  id: string;
  at: string;
  poolId: string;
  trigger: string;
  triggerSource: string;
  functionArn: string;
  /** module | url | invoke | handler | none (no local target for the ARN). */
  runs: string;
  attempts: number;
  durationMs: number;
  event: unknown;
  response?: unknown;
  /** The Cognito error the caller got, as `Type: message`. */
  error?: string;
}

const keepAtMost = 500;

// A password in a UserMigration event is the user's real one: the page shows that one was sent, not it.
function redact(event: unknown): unknown {
  const copy = structuredClone(event) as { request?: Record<string, unknown> };
  if (copy?.request && typeof copy.request.password === 'string') copy.request.password = '(redacted)';
  return copy;
}

/**
 * Every trigger invocation since the IdP started, newest last, for the /_dev/triggers page (local only,
 * like the mailbox). Kept in memory: the request log never gets events, codes or passwords.
 */
export class InvocationLog {
  readonly entries: Invocation[] = [];

  add(entry: Omit<Invocation, 'id' | 'event'> & { event: unknown }): void {
    this.entries.push({ ...entry, id: randomUUID(), event: redact(entry.event) });
    if (this.entries.length > keepAtMost) this.entries.splice(0, this.entries.length - keepAtMost);
  }

  /** Newest first, optionally one trigger or one user only. */
  list(filter: { trigger?: string; user?: string } = {}): Invocation[] {
    return this.entries
      .filter((e) => !filter.trigger || e.trigger === filter.trigger)
      .filter((e) => !filter.user || (e.event as { userName?: string }).userName === filter.user)
      .reverse();
  }
}
