import { useAuth } from '../auth/auth-context.ts';
import { Alert } from './Alert.tsx';

/** Against the local IdP no e-mail leaves the machine: say where the mailed code can be read. */
export function DevMailboxHint({ email }: { email: string }) {
  const mailbox = useAuth().service.devMailboxUrl(email);
  if (!mailbox) return null;
  return (
    <Alert kind="info">
      Running locally: no e-mail is sent. The code is in the{' '}
      <a href={mailbox} target="_blank" rel="noreferrer">
        local IdP's dev mailbox
      </a>
      .
    </Alert>
  );
}
