import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AuthContext, type AuthContextValue, type AuthStatus, type SignInOutcome } from './auth-context.ts';
import { type AuthService, type SignInResult, succeeds } from './cognito-auth.ts';
import { refreshDelay, type Session } from './session.ts';

const SESSION_ENDED = 'Your session has ended. Please sign in again.';

/** How long "Sign out" waits for the API to revoke the session before signing out locally anyway. */
export const REVOKE_TIMEOUT_MS = 3_000;

/** Runs `call` with an AbortSignal; resolves when it settles or after `ms` (aborting it). Never rejects. */
async function boundedBestEffort(ms: number, call: (signal: AbortSignal) => Promise<unknown>) {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve();
    }, ms);
  });
  try {
    await Promise.race([
      Promise.resolve()
        .then(() => call(controller.signal))
        .catch(() => undefined),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A hosted-page session also ends the managed login's own one: through its /logout, back here (ADR 0140). */
function leaveFor(hostedLogoutUrl: string | null) {
  if (hostedLogoutUrl) window.location.assign(hostedLogoutUrl);
}

/**
 * Holds who is signed in. Restores the stored session on load, refreshes the tokens ahead of
 * expiry (and when a hidden tab comes back), and signs out when a refresh is refused.
 */
export function AuthProvider({ service, children }: { service: AuthService; children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const sessionRef = useRef<Session | null>(null);
  const inFlight = useRef<Promise<Session | null> | null>(null);

  const apply = useCallback((s: Session | null) => {
    sessionRef.current = s;
    setSession(s);
    setStatus(s ? 'signedIn' : 'signedOut');
  }, []);

  const endSession = useCallback(
    async (reason: string) => {
      await service.signOut();
      setNotice(reason);
      apply(null);
    },
    [service, apply],
  );

  const refresh = useCallback((): Promise<Session | null> => {
    if (!inFlight.current) {
      inFlight.current = service
        .refresh()
        .then((s) => {
          apply(s);
          return s;
        })
        .catch(async () => {
          await endSession(SESSION_ENDED);
          return null;
        })
        .finally(() => {
          inFlight.current = null;
        });
    }
    return inFlight.current;
  }, [service, apply, endSession]);

  useEffect(() => {
    let cancelled = false;
    service.restore().then(
      (s) => !cancelled && apply(s),
      () => !cancelled && apply(null),
    );
    return () => {
      cancelled = true;
    };
  }, [service, apply]);

  // Refresh ahead of expiry; browsers throttle timers in hidden tabs, so check again on return.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => void refresh(), refreshDelay(session));
    const onVisible = () => {
      if (document.visibilityState === 'visible' && refreshDelay(session) === 0) void refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [session, refresh]);

  const settle = useCallback(
    async (step: Promise<SignInResult>): Promise<SignInOutcome> => {
      const result = await step;
      if (result.kind !== 'signedIn') return result;
      setNotice(null);
      apply(result.session);
      return { kind: 'signedIn' };
    },
    [apply],
  );

  const value = useMemo<AuthContextValue>(
    () => ({
      status,
      session,
      notice,
      service,
      signIn: (email, password, options) => settle(service.signIn(email, password, options)),
      signInWithChoice: (email, options) => settle(service.signInWithChoice(email, options)),
      continueSignIn: settle,
      async completeHostedSignIn(callbackUrl) {
        const { session: s, returnTo } = await service.completeHostedSignIn(callbackUrl);
        setNotice(null);
        apply(s);
        return returnTo;
      },
      completeNewPassword: (challenge, newPassword) => settle(challenge.complete(newPassword)),
      refresh,
      async accessToken() {
        const s = sessionRef.current;
        if (!s) return null;
        if (Date.now() < s.expiresAt) return s.accessToken;
        return (await refresh())?.accessToken ?? null;
      },
      async signOut(revokeInApi) {
        const hostedLogout = service.hostedLogoutUrl();
        // The API first (it needs the access token), bounded and best effort: never trap the user.
        const token = sessionRef.current?.accessToken;
        if (revokeInApi && token)
          await boundedBestEffort(REVOKE_TIMEOUT_MS, (signal) => revokeInApi(token, signal));
        await service.signOut();
        setNotice(null);
        apply(null);
        leaveFor(hostedLogout);
      },
      async globalSignOut(viaApi) {
        const hostedLogout = service.hostedLogoutUrl();
        const revoked = await succeeds(viaApi);
        // After the API's sign-out Cognito refuses the old tokens, so only the local copy is left to drop.
        if (revoked) await service.signOut();
        else await service.globalSignOut();
        setNotice('You have been signed out on every device.');
        apply(null);
        leaveFor(hostedLogout);
      },
      async changePassword(current, next, viaApi) {
        const { session: fresh, viaApi: everywhere } = await service.changePasswordEverywhere(
          current,
          next,
          viaApi,
        );
        apply(fresh);
        return { everywhere };
      },
      endSession,
    }),
    [status, session, notice, service, apply, refresh, endSession, settle],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
