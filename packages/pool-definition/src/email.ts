/**
 * The one e-mail normaliser of the repo (API, IdP, SPA): two spellings that reach the same mailbox
 * in practice must be one account, one rate-limit bucket and one row. Unicode NFC (composed and
 * decomposed "é" are one letter), the locale-independent Unicode lower-case mapping (what Cognito
 * does for case-insensitive usernames; full case folding would turn "ß" into "ss" and mail another
 * mailbox), surrounding white space removed, and a trailing dot of the domain dropped ("example.com."
 * is the same DNS name as "example.com").
 */
export function normaliseEmail(email: string): string {
  const lowered = email.trim().normalize('NFC').toLowerCase().normalize('NFC');
  const at = lowered.lastIndexOf('@');
  if (at < 0) return lowered;
  return `${lowered.slice(0, at)}@${lowered.slice(at + 1).replace(/\.+$/, '')}`;
}

/** True when two addresses are the same account under normaliseEmail. */
export const sameEmail = (a: string, b: string) => normaliseEmail(a) === normaliseEmail(b);
