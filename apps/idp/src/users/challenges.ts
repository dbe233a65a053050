import type { DeviceChallenge } from '../devices/challenge.ts';
import type { ChoiceChallenge, MfaChallenge, WebAuthnChallenge } from '../mfa/challenge-types.ts';
import type { ServerSession } from './srp.ts';

/** Cognito's auth sessions last 3 minutes. */
export const challengeLifetimeMs = 3 * 60_000;

export type Challenge =
  | {
      kind: 'PASSWORD_VERIFIER';
      poolId: string;
      clientId: string;
      /** Undefined for the decoy challenge given for an unknown user when existence errors are hidden. */
      username?: string;
      AHex: string;
      serverSession: ServerSession;
      /** The decoy's SRP identity, so its claim is checked (and fails) like a real one (ADR 0079). */
      decoy?: { userIdForSrp: string; saltHex: string; verifierHex: string };
      /** CUSTOM_WITH_SRP: the custom-auth session this password step belongs to (triggers/custom-auth.ts). */
      custom?: {
        history: Array<{ challengeName: string; challengeResult: boolean; challengeMetadata?: string }>;
      };
      expiresAt: number;
      admin: boolean;
    }
  | {
      kind: 'NEW_PASSWORD_REQUIRED';
      poolId: string;
      clientId: string;
      username: string;
      expiresAt: number;
      admin: boolean;
    }
  | {
      /** A custom-auth session between Define/Create/Verify calls (triggers/custom-auth.ts). */
      kind: 'CUSTOM_CHALLENGE';
      poolId: string;
      clientId: string;
      /** The user's username, or the name typed for an unknown user (then userNotFound). */
      username: string;
      userNotFound?: boolean;
      history: Array<{ challengeName: string; challengeResult: boolean; challengeMetadata?: string }>;
      privateChallengeParameters: Record<string, string>;
      challengeMetadata?: string;
      expiresAt: number;
      admin: boolean;
    }
  | MfaChallenge
  | ChoiceChallenge
  | WebAuthnChallenge
  | DeviceChallenge;

/**
 * Pending challenges, keyed by the SRP SECRET_BLOCK or the Session string handed to the client. Held in
 * memory only: they are single-use and short-lived, like Cognito's, and a restart simply expires them.
 */
export class ChallengeStore {
  private readonly items = new Map<string, Challenge>();

  constructor(private readonly now: () => number) {}

  put(key: string, c: Challenge) {
    this.sweep();
    this.items.set(key, c);
  }

  /** Removes and returns the challenge (single use); undefined when unknown or expired. */
  take(key: string): Challenge | undefined {
    const c = this.items.get(key);
    if (!c) return undefined;
    this.items.delete(key);
    return c.expiresAt >= this.now() ? c : undefined;
  }

  has(key: string): boolean {
    const c = this.items.get(key);
    return !!c && c.expiresAt >= this.now();
  }

  private sweep() {
    if (this.items.size < 1000) return;
    const now = this.now();
    for (const [k, c] of this.items) if (c.expiresAt < now) this.items.delete(k);
  }
}
