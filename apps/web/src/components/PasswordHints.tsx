import { passwordRules } from '../auth/password-policy.ts';

/** Live checklist of the pool's password rules, updated as the user types. */
export function PasswordHints({ password, confirmation }: { password: string; confirmation?: string }) {
  const rules = passwordRules(password);
  if (confirmation !== undefined) {
    rules.push({
      id: 'match',
      label: 'Both passwords match',
      met: password !== '' && password === confirmation,
    });
  }
  return (
    <ul className="password-hints" aria-label="Password rules">
      {rules.map((r) => (
        <li key={r.id} className={r.met ? 'met' : 'unmet'}>
          <span aria-hidden="true">{r.met ? '✓' : '○'}</span> {r.label}
          <span className="visually-hidden">{r.met ? ' (done)' : ' (not yet)'}</span>
        </li>
      ))}
    </ul>
  );
}
