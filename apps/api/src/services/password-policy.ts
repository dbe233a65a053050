import { definition, type PasswordPolicy } from '@app/pool-definition';

/**
 * The pool's password policy, checked here before any call to the IdP: an invalid password then gets
 * the same answer whether or not the e-mail has an account (Cognito may check existence first).
 */
export function passwordPolicyMessage(policy: PasswordPolicy = definition.passwordPolicy): string {
  const rules = [`at least ${policy.minimumLength} characters`];
  if (policy.requireLowercase) rules.push('a lowercase letter');
  if (policy.requireUppercase) rules.push('an uppercase letter');
  if (policy.requireNumbers) rules.push('a number');
  if (policy.requireSymbols) rules.push('a symbol');
  return `The password must contain ${rules.join(', ')}.`;
}

export function passwordMeetsPolicy(
  password: string,
  policy: PasswordPolicy = definition.passwordPolicy,
): boolean {
  // Cognito counts characters (code points), not UTF-16 units or bytes.
  if ([...password].length < policy.minimumLength) return false;
  if (policy.requireLowercase && !/\p{Ll}/u.test(password)) return false;
  if (policy.requireUppercase && !/\p{Lu}/u.test(password)) return false;
  if (policy.requireNumbers && !/[0-9]/.test(password)) return false;
  if (policy.requireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/.test(password)) return false;
  // Cognito refuses leading or trailing spaces.
  return password.trim() === password;
}
