import type { ReactNode } from 'react';
import { BrowserRouter } from 'react-router';
import { ApiProvider } from './api/api-context.tsx';
import { AuthProvider } from './auth/AuthProvider.tsx';
import type { AuthService } from './auth/cognito-auth.ts';
import { ToastProvider } from './design/ToastProvider.tsx';
import { AppRoutes } from './routes.tsx';

/** The providers every page needs; tests wrap them in a MemoryRouter instead of the browser's. */
export function AppProviders({
  service,
  apiUrl,
  filesUrl,
  children,
}: {
  service: AuthService;
  apiUrl: string;
  filesUrl?: string | undefined;
  children: ReactNode;
}) {
  return (
    <AuthProvider service={service}>
      <ApiProvider baseUrl={apiUrl} filesUrl={filesUrl}>
        <ToastProvider>{children}</ToastProvider>
      </ApiProvider>
    </AuthProvider>
  );
}

export function App({
  service,
  apiUrl,
  filesUrl,
}: {
  service: AuthService;
  apiUrl: string;
  filesUrl?: string | undefined;
}) {
  return (
    <BrowserRouter>
      <AppProviders service={service} apiUrl={apiUrl} filesUrl={filesUrl}>
        <AppRoutes />
      </AppProviders>
    </BrowserRouter>
  );
}
