import { createContext, type ReactNode, useContext, useMemo, useRef } from 'react';
import { useAuth } from '../auth/auth-context.ts';
import { ApiClient } from './client.ts';

const ApiContext = createContext<ApiClient | null>(null);

/**
 * Builds the API client over the signed-in session: it borrows tokens and ends the session on
 * 401. The client is stable across token refreshes so pages do not refetch when tokens change.
 */
export function ApiProvider({
  baseUrl,
  filesUrl,
  children,
}: {
  baseUrl: string;
  filesUrl?: string | undefined;
  children: ReactNode;
}) {
  const auth = useAuth();
  const latest = useRef(auth);
  latest.current = auth;
  const client = useMemo(
    () =>
      new ApiClient({
        baseUrl,
        ...(filesUrl ? { filesUrl } : {}),
        accessToken: () => latest.current.accessToken(),
        refresh: async () => (await latest.current.refresh())?.accessToken ?? null,
        onUnauthorized: () => latest.current.endSession('Your session has ended. Please sign in again.'),
      }),
    [baseUrl, filesUrl],
  );
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi() needs an <ApiProvider> above it');
  return client;
}
