/**
 * Route path → page module. routes.tsx lazy-loads these (one chunk each) and
 * scripts/bundle-report.ts uses the table to attribute chunks to routes. Keep the two in step;
 * src/routes.test.tsx checks that every entry is a real route.
 */
export const routeModules = {
  '/sign-in': 'src/pages/SignInPage.tsx',
  '/sign-up': 'src/pages/SignUpPage.tsx',
  '/confirm': 'src/pages/ConfirmPage.tsx',
  '/forgot-password': 'src/pages/ForgotPasswordPage.tsx',
  '/reset-password': 'src/pages/ResetPasswordPage.tsx',
  '/auth/callback': 'src/pages/HostedCallbackPage.tsx',
  '/': 'src/pages/DashboardPage.tsx',
  '/profile': 'src/pages/ProfilePage.tsx',
  '/security': 'src/pages/SecurityPage.tsx',
  '/admin': 'src/pages/AdminPage.tsx',
} as const;
