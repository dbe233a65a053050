import { definition, type PasswordPolicy } from '@app/pool-definition';
import { commonPasswords } from '@app/pool-definition/common-passwords';
import { passwordViolations } from '@app/pool-definition/password-policy';

/**
 * The pool's password policy (the shared rules the IdP and the SPA use too), checked here before
 * any call to the IdP: an invalid password then gets the same answer whether or not the e-mail
 * has an account (Cognito may check existence first).
 */
export function passwordPolicyMessage(policy: PasswordPolicy = definition.passwordPolicy): string {
  const rules = [`at least ${policy.minimumLength} characters`];
  if (policy.requireLowercase) rules.push('a lowercase letter');
  if (policy.requireUppercase) rules.push('an uppercase letter');
  if (policy.requireNumbers) rules.push('a number');
  if (policy.requireSymbols) rules.push('a symbol');
  return `The password must contain ${rules.join(', ')}, no space at the start or end, and not be a commonly used password.`;
}

export function passwordMeetsPolicy(
  password: string,
  policy: PasswordPolicy = definition.passwordPolicy,
): boolean {
  return passwordViolations(policy, password, commonPasswords).length === 0;
}
