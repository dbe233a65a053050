import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router';
import { AppProviders } from '../src/App.tsx';
import type { AuthService } from '../src/auth/cognito-auth.ts';
import { AppRoutes } from '../src/routes.tsx';

/** Shows the router's current location so tests can assert where navigation went. */
function LocationProbe() {
  const l = useLocation();
  return <output data-testid="location">{`${l.pathname}${l.search}`}</output>;
}

/** Renders the whole app (real routes, providers, lazy pages) at `path`. */
export function renderApp(service: AuthService, path = '/', apiUrl = 'http://127.0.0.1:1') {
  const user = userEvent.setup();
  const view = render(
    <MemoryRouter initialEntries={[path]}>
      <AppProviders service={service} apiUrl={apiUrl}>
        <AppRoutes />
        <LocationProbe />
      </AppProviders>
    </MemoryRouter>,
  );
  return { user, ...view };
}
