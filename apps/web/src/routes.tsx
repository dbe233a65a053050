import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { RequireAuth } from './components/RequireAuth.tsx';
import { HOSTED_UI_CALLBACK_PATH } from './config/runtime-config.ts';

// One chunk per page, so a visitor of the sign-in page does not download the admin console.
// scripts/bundle-report.ts reports the JavaScript of each route (table in route-modules.ts).
const SignInPage = lazy(() => import('./pages/SignInPage.tsx'));
const SignUpPage = lazy(() => import('./pages/SignUpPage.tsx'));
const ConfirmPage = lazy(() => import('./pages/ConfirmPage.tsx'));
const ForgotPasswordPage = lazy(() => import('./pages/ForgotPasswordPage.tsx'));
const ResetPasswordPage = lazy(() => import('./pages/ResetPasswordPage.tsx'));
const DashboardPage = lazy(() => import('./pages/DashboardPage.tsx'));
const ProfilePage = lazy(() => import('./pages/ProfilePage.tsx'));
const SecurityPage = lazy(() => import('./pages/SecurityPage.tsx'));
const AdminPage = lazy(() => import('./pages/AdminPage.tsx'));
const HostedCallbackPage = lazy(() => import('./pages/HostedCallbackPage.tsx'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage.tsx'));

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/sign-up" element={<SignUpPage />} />
        <Route path="/confirm" element={<ConfirmPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path={HOSTED_UI_CALLBACK_PATH} element={<HostedCallbackPage />} />
        <Route
          index
          element={
            <RequireAuth>
              <DashboardPage />
            </RequireAuth>
          }
        />
        <Route
          path="/profile"
          element={
            <RequireAuth>
              <ProfilePage />
            </RequireAuth>
          }
        />
        <Route
          path="/security"
          element={
            <RequireAuth>
              <SecurityPage />
            </RequireAuth>
          }
        />
        <Route
          path="/admin"
          element={
            <RequireAuth>
              <AdminPage />
            </RequireAuth>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
