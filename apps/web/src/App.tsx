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
  children,
}: {
  service: AuthService;
  apiUrl: string;
  children: ReactNode;
}) {
  return (
    <AuthProvider service={service}>
      <ApiProvider baseUrl={apiUrl}>
        <ToastProvider>{children}</ToastProvider>
      </ApiProvider>
    </AuthProvider>
  );
}

export function App({ service, apiUrl }: { service: AuthService; apiUrl: string }) {
  return (
    <BrowserRouter>
      <AppProviders service={service} apiUrl={apiUrl}>
        <AppRoutes />
      </AppProviders>
    </BrowserRouter>
  );
}
