import { Suspense, useState } from 'react';
import { Link, NavLink, Outlet } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import { useAuth } from '../auth/auth-context.ts';
import { ThemeToggle } from '../design/ThemeToggle.tsx';
import { Loading } from './Loading.tsx';

/** Header with navigation for signed-in users, and the page in <main>. */
export function Layout() {
  const { status, session, signOut } = useAuth();
  const api = useApi();
  const [signingOut, setSigningOut] = useState(false);
  // This device only: the API refuses this session's tokens (ADR 0049), then Cognito revokes the
  // refresh token and the local copy goes (ADR 0053). Waits a few seconds at most for the API.
  const signOutHere = () => {
    setSigningOut(true);
    void signOut((token, signal) => api.signOutSession(token, signal)).finally(() => setSigningOut(false));
  };
  const isAdmin = session?.user.groups.includes('admin') ?? false;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        {/* A plain link: the brand never carries the current-page mark the Items link has. */}
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Cognito Stack
        </Link>
        {status === 'signedIn' ? (
          <nav aria-label="Main">
            <ul>
              <li>
                <NavLink to="/" end>
                  Items
                </NavLink>
              </li>
              <li>
                <NavLink to="/profile">Profile</NavLink>
              </li>
              <li>
                <NavLink to="/security">Security</NavLink>
              </li>
              {isAdmin ? (
                <li>
                  <NavLink to="/admin">Admin</NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
        ) : null}
        <ThemeToggle />
        {status === 'signedIn' ? (
          // Beside the theme toggle, not among the page links: on a phone the links keep one row.
          <button type="button" className="sign-out" disabled={signingOut} onClick={signOutHere}>
            Sign out
          </button>
        ) : null}
      </header>
      <main id="main">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
