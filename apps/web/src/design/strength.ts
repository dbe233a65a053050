/**
 * Password strength by zxcvbn-ts (patterns, keyboard walks, sequences, dates, repeats) with the
 * shared common-password entries as its dictionary. Loaded lazily by PasswordStrength (~14 kB gzip)
 * so no page pays for it before a new password is typed.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs } from '@zxcvbn-ts/language-common';
import { commonPasswordList } from '../auth/password-policy.ts';

const zxcvbn = new ZxcvbnFactory({
  graphs: adjacencyGraphs,
  dictionary: { common: [...commonPasswordList] },
});

/** 0 (very weak) to 4 (strong); `related` (the e-mail, the name) counts against the password. */
export function strengthOf(password: string, related: string[] = []): 0 | 1 | 2 | 3 | 4 {
  return zxcvbn.check(password, related.filter(Boolean)).score;
}
