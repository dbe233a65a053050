import { useLocation } from 'react-router';
import { useAuth } from '../auth/auth-context.ts';
import { Alert } from './Alert.tsx';

/** Against the local IdP no e-mail leaves the machine: say where the mailed code can be read. */
export function DevMailboxHint({ email }: { email: string }) {
  const mailbox = useAuth().service.devMailboxUrl(email);
  const { pathname, search } = useLocation();
  if (!mailbox) return null;
  // The mailbox opens in a new tab; `back` names this page so its "Back to the app" can return here.
  const href = new URL(mailbox);
  href.searchParams.set('back', new URL(`${pathname}${search}`, window.location.origin).href);
  return (
    <Alert kind="info">
      Running locally: no e-mail is sent. The code is in the{' '}
      <a href={href.href} target="_blank" rel="noreferrer">
        local IdP's dev mailbox
      </a>
      .
    </Alert>
  );
}
