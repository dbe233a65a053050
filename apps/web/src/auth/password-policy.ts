/** The pool's password policy, compiled in from @app/pool-definition (see build-defines.ts). */
export interface PasswordPolicy {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
}

declare const __PASSWORD_POLICY__: PasswordPolicy;

export const passwordPolicy: PasswordPolicy = __PASSWORD_POLICY__;

export interface PasswordRule {
  id: string;
  label: string;
  met: boolean;
}

// Cognito's symbol set for the "requireSymbols" rule.
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/;

/** Each rule of the policy with whether `password` meets it, for live hints under the field. */
export function passwordRules(password: string, policy: PasswordPolicy = passwordPolicy): PasswordRule[] {
  const rules: PasswordRule[] = [
    {
      id: 'length',
      label: `At least ${policy.minimumLength} characters`,
      met: [...password].length >= policy.minimumLength,
    },
  ];
  if (policy.requireLowercase)
    rules.push({ id: 'lower', label: 'A lower-case letter', met: /[a-z]/.test(password) });
  if (policy.requireUppercase)
    rules.push({ id: 'upper', label: 'An upper-case letter', met: /[A-Z]/.test(password) });
  if (policy.requireNumbers) rules.push({ id: 'number', label: 'A number', met: /[0-9]/.test(password) });
  if (policy.requireSymbols) rules.push({ id: 'symbol', label: 'A symbol', met: SYMBOLS.test(password) });
  // Cognito refuses leading and trailing spaces.
  rules.push({ id: 'spaces', label: 'No space at the start or end', met: password === password.trim() });
  return rules;
}

export function passwordAcceptable(password: string, policy: PasswordPolicy = passwordPolicy): boolean {
  return passwordRules(password, policy).every((r) => r.met);
}
