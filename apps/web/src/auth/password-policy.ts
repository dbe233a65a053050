/**
 * The pool's password policy (compiled in from @app/pool-definition, see build-defines.ts) and the
 * one password check the IdP and the API use too (@app/pool-definition/password-policy, zod-free).
 */
import {
  type PasswordRuleResult,
  type PasswordRules,
  passwordRules as rulesOf,
} from '@app/pool-definition/password-policy';

export type PasswordPolicy = PasswordRules;

declare const __PASSWORD_POLICY__: PasswordPolicy;
declare const __COMMON_PASSWORDS__: string[];

export const passwordPolicy: PasswordPolicy = __PASSWORD_POLICY__;
/** The shared common-password block list, as far as this policy's length rule leaves it to decide. */
export const commonPasswordList: readonly string[] = __COMMON_PASSWORDS__;
const commonPasswords: ReadonlySet<string> = new Set(commonPasswordList);

export interface PasswordRule {
  id: string;
  label: string;
  met: boolean;
}

/**
 * The rules to show under a password field, with whether `password` meets each. The 256-character
 * ceiling is shown only once it is broken; nobody needs that hint while typing. An empty password
 * meets nothing yet (no tick for "no space at the start or end" before anything is typed).
 */
export function passwordRules(password: string, policy: PasswordPolicy = passwordPolicy): PasswordRule[] {
  return rulesOf(policy, password, commonPasswords)
    .filter((r: PasswordRuleResult) => r.id !== 'maxLength' || !r.met)
    .map((r) => (password === '' ? { ...r, met: false } : r));
}

export function passwordAcceptable(password: string, policy: PasswordPolicy = passwordPolicy): boolean {
  return rulesOf(policy, password, commonPasswords).every((r) => r.met);
}
