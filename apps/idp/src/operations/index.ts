import type { Ctx } from '../context.ts';
import type { Input } from '../protocol/params.ts';
import { adminUserOperations } from './admin-users.ts';
import { authOperations } from './auth.ts';
import { authEventOperations } from './auth-events.ts';
import { authFactorOperations } from './auth-factors.ts';
import { clientOperations } from './clients.ts';
import { deviceOperations } from './devices.ts';
import { domainOperations } from './domains.ts';
import { groupUpdateOperations } from './group-update.ts';
import { groupOperations } from './groups.ts';
import { identityProviderOperations } from './identity-providers.ts';
import { listUserOperations } from './list-users.ts';
import { membershipOperations } from './memberships.ts';
import { mfaOperations } from './mfa.ts';
import { mfaConfigOperations } from './mfa-config.ts';
import { passwordOperations } from './passwords.ts';
import { poolUpdateOperations } from './pool-update.ts';
import { poolOperations } from './pools.ts';
import { providerLinkOperations } from './provider-links.ts';
import { refreshOperations } from './refresh.ts';
import { resourceServerOperations } from './resource-servers.ts';
import { signUpOperations } from './sign-up.ts';
import { tagOperations } from './tags.ts';
import { tokenOperations } from './tokens.ts';
import { userAttributeOperations } from './user-attributes.ts';
import { userOperations } from './users.ts';
import { webAuthnOperations } from './webauthn.ts';

export type Operation = (ctx: Ctx, input: Input) => unknown;

/** Every Cognito operation the IdP answers, by its X-Amz-Target name. */
export const operations: Record<string, Operation> = {
  ...poolOperations,
  ...poolUpdateOperations,
  ...clientOperations,
  ...domainOperations,
  ...resourceServerOperations,
  ...groupOperations,
  ...groupUpdateOperations,
  ...tagOperations,
  ...identityProviderOperations,
  ...providerLinkOperations,
  ...userAttributeOperations,
  ...signUpOperations,
  ...passwordOperations,
  ...userOperations,
  ...adminUserOperations,
  ...membershipOperations,
  ...listUserOperations,
  ...authOperations,
  ...tokenOperations,
  ...refreshOperations,
  ...mfaConfigOperations,
  ...mfaOperations,
  ...authFactorOperations,
  ...webAuthnOperations,
  ...deviceOperations,
  ...authEventOperations,
};
