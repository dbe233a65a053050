/**
 * Postgres connection budget (ADR 0087). Every API task holds at most DB_POOL_MAX connections
 * (apps/api/test/db/pool-max.test.ts measures that); during a rolling deploy old and new tasks run
 * side by side (maxHealthyPercent 200), and the migration task connects too. The sum must stay
 * under what the instance accepts, or a deploy at maximum scale fails with "too many clients".
 */

/** ECS may run twice the tasks while a deployment replaces them (maxHealthyPercent). */
export const deployOverlap = 2;
/** The migration task's connections (it runs one statement at a time; 2 leaves room for the lock). */
export const migrationConnections = 2;
/** RDS keeps these for rdsadmin and superusers (superuser_reserved_connections and RDS's own). */
export const reservedConnections = 3;

/** Nominal memory in GiB of the RDS classes this stack is sized for (db.<family>.<size>). */
const memoryGiB: Record<string, number> = {
  'tx.micro': 1,
  'tx.small': 2,
  'tx.medium': 4,
  'tx.large': 8,
  'tx.xlarge': 16,
  'tx.2xlarge': 32,
  'mx.large': 8,
  'mx.xlarge': 16,
  'mx.2xlarge': 32,
  'mx.4xlarge': 64,
  'rx.large': 16,
  'rx.xlarge': 32,
  'rx.2xlarge': 64,
  'rx.4xlarge': 128,
};

/**
 * RDS PostgreSQL's default max_connections is LEAST(DBInstanceClassMemory / 9531392, 5000).
 * DBInstanceClassMemory is what is left after the OS and RDS take theirs, so the estimate uses
 * three quarters of the nominal memory (a t4g.micro reports about 80, not 112). Unknown classes
 * give undefined: then `dbMaxConnections` must be set in context.
 */
export function estimatedMaxConnections(instanceClass: string): number | undefined {
  const [family = '', size = ''] = instanceClass.split('.');
  const gib = memoryGiB[`${family.charAt(0)}x.${size}`];
  if (gib === undefined) return undefined;
  return Math.min(Math.floor((0.75 * gib * 1024 ** 3) / 9_531_392), 5000);
}

export interface BudgetInputs {
  readonly apiMaxCount: number;
  readonly dbPoolMax: number;
  readonly maxConnections: number;
}

export interface Budget {
  /** Connections the API and migration tasks can open at the worst moment of a deploy. */
  readonly peak: number;
  /** What they may use: max_connections minus the reserved ones. */
  readonly available: number;
}

export function connectionBudget(i: BudgetInputs): Budget {
  return {
    peak: i.apiMaxCount * deployOverlap * i.dbPoolMax + migrationConnections,
    available: i.maxConnections - reservedConnections,
  };
}
