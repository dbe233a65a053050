/**
 * The one password check, used by the local IdP (to refuse like Cognito), the API (to answer
 * before calling the IdP) and the SPA (live hints). Zod-free so the browser bundle stays small:
 * import it as '@app/pool-definition/password-policy'.
 *
 * Cognito's rules: length counts characters; "lower/upper case" and "numbers" mean the Basic Latin
 * ranges; its symbol set (space included, when inside the password); at most 256 characters; and
 * the API's pattern `^[\S]+.*[\S]+$` refuses leading or trailing whitespace.
 */
export interface PasswordRules {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
}

export type PasswordRuleId =
  | 'length'
  | 'maxLength'
  | 'lowercase'
  | 'uppercase'
  | 'numbers'
  | 'symbols'
  | 'common'
  | 'edges';

export interface PasswordRuleResult {
  id: PasswordRuleId;
  /** Plain words for a hint or an error message. */
  label: string;
  met: boolean;
}

export const MAX_PASSWORD_LENGTH = 256;
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** Whether `password` is on the block list `common` (lower-cased entries; see common-passwords.ts). */
export function isCommonPassword(common: ReadonlySet<string>, password: string): boolean {
  return common.has(password.toLowerCase());
}

/**
 * Every rule that applies under `policy`, with whether `password` meets it (in a stable order).
 * With a `common` block list (ADR 0131) a password on it breaks the rule 'common'.
 */
export function passwordRules(
  policy: PasswordRules,
  password: string,
  common?: ReadonlySet<string>,
): PasswordRuleResult[] {
  const length = [...password].length;
  const rules: PasswordRuleResult[] = [
    {
      id: 'length',
      label: `At least ${policy.minimumLength} characters`,
      met: length >= policy.minimumLength,
    },
  ];
  if (policy.requireLowercase)
    rules.push({ id: 'lowercase', label: 'A lower-case letter', met: /[a-z]/.test(password) });
  if (policy.requireUppercase)
    rules.push({ id: 'uppercase', label: 'An upper-case letter', met: /[A-Z]/.test(password) });
  if (policy.requireNumbers) rules.push({ id: 'numbers', label: 'A number', met: /[0-9]/.test(password) });
  if (policy.requireSymbols)
    rules.push({ id: 'symbols', label: 'A symbol', met: SYMBOLS.test(password.trim()) });
  if (common)
    rules.push({
      id: 'common',
      label: 'Not a commonly used password',
      met: !isCommonPassword(common, password),
    });
  rules.push({
    id: 'edges',
    label: 'No space at the start or end',
    met: password === '' || /^\S(.*\S)?$/su.test(password),
  });
  rules.push({
    id: 'maxLength',
    label: `At most ${MAX_PASSWORD_LENGTH} characters`,
    met: length <= MAX_PASSWORD_LENGTH,
  });
  return rules;
}

/** The rules `password` breaks; empty when it is acceptable. */
export function passwordViolations(
  policy: PasswordRules,
  password: string,
  common?: ReadonlySet<string>,
): PasswordRuleResult[] {
  return passwordRules(policy, password, common).filter((r) => !r.met);
}
