import type { Clock } from './clock.ts';
import type { BrowserSessions } from './login/sessions.ts';
import type { AuthorizationCodes } from './oauth/codes.ts';
import type { Store } from './store/store.ts';
import type { SigningKeys } from './tokens/keys.ts';
import type { TriggerRuntime } from './triggers/invoke.ts';
import type { ChallengeStore } from './users/challenges.ts';
import type { SrpWorkers } from './users/srp-workers.ts';

export type Logger = (entry: Record<string, unknown>) => void;

/**
 * Costly steps an operation takes, reported to an optional observer so tests can check that decoy
 * answers for unknown users do the same work as real ones (ADR 0079) without timing anything.
 */
export type WorkKind = 'commit' | 'password-check' | 'srp-verify';
export type WorkObserver = (kind: WorkKind) => void;

/** What every operation may use. One per running IdP. */
export interface Ctx {
  store: Store;
  clock: Clock;
  keys: SigningKeys;
  /** http://host:port as actually bound; set once the server listens. */
  baseUrl: string;
  /** False until bootstrap.json names this start's URL: /health answers 503 until then. */
  ready: boolean;
  region: string;
  /** In-memory auth challenges (SRP secret blocks, NEW_PASSWORD_REQUIRED sessions); they live 3 minutes. */
  challenges: ChallengeStore;
  /** Worker threads for the SRP server math (users/srp.ts, ADR 0185); closed by stop(). */
  srp: SrpWorkers;
  /** Test-only lifetimes below Cognito's 5-minute minimum. */
  tokenValidityOverride: { access?: number; id?: number };
  log: Logger;
  /** Observer of costly steps (see WorkKind); a no-op unless a test injects one. */
  onWork: WorkObserver;
  /** Secret for decoy answers about unknown users (stable per data folder). */
  decoyKey: Buffer;
  /** refresh-token hash → origin_jti, rebuilt from the sessions at start. */
  refreshIndex: Map<string, string>;
  /** Managed login: authorization codes and signed-in browsers (both in memory, ADR 0081). */
  oauth: { codes: AuthorizationCodes; browsers: BrowserSessions; secure: boolean };
  /** Lambda triggers: where each function runs locally, and the invocation log (triggers/). */
  triggers: TriggerRuntime;
}

export const issuerOf = (ctx: Ctx, poolId: string) => `${ctx.baseUrl}/${poolId}`;
