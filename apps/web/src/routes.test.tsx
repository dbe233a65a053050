import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeAuthService } from '../test/fake-auth.ts';
import { renderApp } from '../test/render.tsx';
import { routeModules } from './route-modules.ts';

describe('route table', () => {
  it.each(Object.keys(routeModules))('%s is a real route (the bundle report counts it)', async (path) => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'amy@example.com', password: 'long enough password' });
    if (!['/sign-in', '/sign-up', '/confirm', '/forgot-password', '/reset-password'].includes(path)) {
      await auth.signIn('amy@example.com', 'long enough password');
    }
    renderApp(auth, path);
    const h1 = await screen.findByRole('heading', { level: 1 });
    expect(h1).not.toHaveTextContent('Page not found');
    expect(screen.getByTestId('location')).toHaveTextContent(path);
  });

  it('shows a not-found page for unknown paths', async () => {
    renderApp(new FakeAuthService(), '/no/such/page');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
  });
});
