import { setTimeout as delay } from 'node:timers/promises';

/**
 * How long the auth endpoints take to give an answer that must not reveal whether an account exists
 * (ADR 0073). Above the slowest ordinary path (SRP: two round trips to Cognito plus the client half of
 * SRP here; register: up to four calls), so unknown, disabled, locked and wrong-password all come out
 * at the floor, not at their own speed.
 */
export const ANSWER_FLOOR_MS = 600;

export interface AnswerFloorOptions {
  ms: number;
  /** Injected by tests to see the wait without measuring time. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultFloorOptions: AnswerFloorOptions = {
  ms: ANSWER_FLOOR_MS,
  now: () => performance.now(),
  sleep: (ms) => delay(ms),
};

export type FloorWhen = 'failure' | 'always';

/**
 * Runs `work` and holds its answer until `ms` after the start: only when it throws (`failure`: a
 * success already tells the caller the account exists, so it need not wait), or whatever it does
 * (`always`: answers that are the same words for every outcome, e.g. register).
 */
export async function withFloor<T>(
  opts: AnswerFloorOptions,
  when: FloorWhen,
  work: () => Promise<T>,
): Promise<T> {
  const start = opts.now();
  const hold = async () => {
    const left = opts.ms - (opts.now() - start);
    if (left > 0) await opts.sleep(left);
  };
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await hold();
    throw err;
  }
  if (when === 'always') await hold();
  return result;
}
