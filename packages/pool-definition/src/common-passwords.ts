/**
 * The common-password block list: zxcvbn-ts's "passwords-common" dictionary (49k passwords seen
 * most often in breaches), lower-cased. One owner for the IdP, the API and the SPA (ADR 0131): the
 * IdP and the API load it whole here; the SPA compiles in only the entries its length rule does not
 * already refuse (`commonPasswordsAtLeast`, a few hundred), so the check decides the same everywhere.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

export const commonPasswords: ReadonlySet<string> = new Set(
  dictionary['passwords-common'].map((p) => p.toLowerCase()),
);

/** The entries with at least `minimumLength` characters (shorter ones fail the length rule first). */
export function commonPasswordsAtLeast(minimumLength: number): string[] {
  return [...commonPasswords].filter((p) => [...p].length >= minimumLength);
}
