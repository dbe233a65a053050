// A relative path, not '@app/pool-definition': Vite's default config loader bundles relative
// imports but leaves node_modules (where workspace links live) to Node, which cannot load .ts.
import { commonPasswordsAtLeast } from '../../packages/pool-definition/src/common-passwords.ts';
import { definition } from '../../packages/pool-definition/src/definition.ts';

/**
 * Values compiled into the bundle from the one pool definition, so the sign-up hints can never
 * disagree with the pool. Shared by vite.config.ts and vitest.config.ts.
 */
const { minimumLength, requireLowercase, requireUppercase, requireNumbers, requireSymbols } =
  definition.passwordPolicy;

export const buildDefines = {
  __PASSWORD_POLICY__: JSON.stringify({
    minimumLength,
    requireLowercase,
    requireUppercase,
    requireNumbers,
    requireSymbols,
  }),
  // The block list's entries the length rule leaves to decide (a few hundred; ADR 0131).
  __COMMON_PASSWORDS__: JSON.stringify(commonPasswordsAtLeast(minimumLength)),
};
