/**
 * The one door to SRP math, which lives in @app/cognito-srp (never re-implemented here). Loaded lazily
 * so the rest of the IdP works even before that package is present; USER_SRP_AUTH then answers a clear
 * error.
 */
import { CognitoError } from '../protocol/errors.ts';

export interface ServerSession {
  b: unknown;
  B: string;
}

interface SrpModule {
  createVerifier(o: { poolId: string; userIdForSrp: string; password: string }): Promise<{
    saltHex: string;
    verifierHex: string;
  }>;
  startServerSession(verifierHex: string): Promise<ServerSession>;
  verifyPasswordClaim(o: {
    poolId: string;
    userIdForSrp: string;
    verifierHex: string;
    saltHex: string;
    AHex: string;
    serverSession: ServerSession;
    secretBlockB64: string;
    timestamp: string;
    signatureB64: string;
  }): Promise<boolean>;
  secretHash(username: string, clientId: string, clientSecret: string): string;
}

let loaded: Promise<SrpModule | null> | undefined;

async function load(): Promise<SrpModule | null> {
  loaded ??= import('@app/cognito-srp')
    .then((m) => {
      const mod = m as unknown as Record<string, unknown>;
      if (typeof mod.createVerifier !== 'function') return null;
      // Accept sync or async implementations alike.
      const wrap =
        (f: unknown) =>
        async (...args: unknown[]) =>
          (f as (...a: unknown[]) => unknown)(...args);
      return {
        createVerifier: wrap(mod.createVerifier),
        startServerSession: wrap(mod.startServerSession),
        verifyPasswordClaim: wrap(mod.verifyPasswordClaim),
        secretHash: mod.secretHash,
      } as SrpModule;
    })
    .catch(() => null);
  return loaded;
}

export async function srpAvailable(): Promise<boolean> {
  return (await load()) !== null;
}

async function need(): Promise<SrpModule> {
  const m = await load();
  if (!m)
    throw new CognitoError(
      'InternalErrorException',
      'SRP is unavailable: @app/cognito-srp is not installed',
      500,
    );
  return m;
}

/** Null when SRP is not available yet; the user can then sign in with passwords only. */
export async function makeVerifier(poolId: string, userIdForSrp: string, password: string) {
  const m = await load();
  return m ? m.createVerifier({ poolId, userIdForSrp, password }) : undefined;
}

export async function startSrp(verifierHex: string): Promise<ServerSession> {
  return (await need()).startServerSession(verifierHex);
}

export async function verifySrpClaim(o: Parameters<SrpModule['verifyPasswordClaim']>[0]): Promise<boolean> {
  try {
    return await (await need()).verifyPasswordClaim(o);
  } catch (err) {
    if (err instanceof CognitoError) throw err;
    // Malformed A, timestamp or signature: the claim simply does not verify.
    return false;
  }
}
