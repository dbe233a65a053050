import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useAuth } from '../auth/auth-context.ts';
import { Loading } from './Loading.tsx';

/** Header with navigation for signed-in users, and the page in <main>. */
export function Layout() {
  const { status, session, signOut } = useAuth();
  const isAdmin = session?.user.groups.includes('admin') ?? false;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <NavLink to="/" className="brand">
          Cognito Stack
        </NavLink>
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
              {isAdmin ? (
                <li>
                  <NavLink to="/admin">Admin</NavLink>
                </li>
              ) : null}
              <li>
                <button type="button" className="link-button" onClick={() => void signOut()}>
                  Sign out
                </button>
              </li>
            </ul>
          </nav>
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
