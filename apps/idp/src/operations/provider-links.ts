import type { Ctx } from '../context.ts';
import {
  federatedUsername,
  identitiesOf,
  type LinkedIdentity,
  linkedUser,
  setIdentities,
} from '../federation/users.ts';
import { opaque } from '../ids.ts';
import { CognitoError, invalidParameter, missingMember, userNotFound } from '../protocol/errors.ts';
import { type Input, str } from '../protocol/params.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { revokeUserSessions } from '../tokens/issue.ts';
import { passwordMaterial } from '../users/accounts.ts';
import { adminUser, poolById } from '../users/lookup.ts';

/** Cognito's limit on identities linked to one user. */
const maxLinks = 5;

interface ProviderUser {
  ProviderName: string;
  ProviderAttributeName?: string;
  ProviderAttributeValue: string;
}

/** A ProviderUserIdentifierType member: ProviderName and ProviderAttributeValue are required. */
function providerUser(input: Input, member: string): ProviderUser {
  const raw = input[member];
  if (raw === undefined || raw === null) throw missingMember(member);
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidParameter(`${member} must be an object`);
  const o = raw as Input;
  return {
    ProviderName: str(o, 'ProviderName'),
    ProviderAttributeValue: str(o, 'ProviderAttributeValue'),
    ...(typeof o.ProviderAttributeName === 'string'
      ? { ProviderAttributeName: o.ProviderAttributeName }
      : {}),
  };
}

/** An external provider of the pool named by a ProviderUser; OIDC and social ones link on Cognito_Subject. */
function externalProvider(pool: PoolRecord, u: ProviderUser, member: string) {
  const p = pool.identityProviders?.[u.ProviderName];
  if (!p)
    throw invalidParameter(`Invalid ${member}: provider ${u.ProviderName} does not exist in this user pool.`);
  if (p.providerType !== 'SAML' && u.ProviderAttributeName !== 'Cognito_Subject')
    throw invalidParameter(
      `Invalid ${member}: ProviderAttributeName must be Cognito_Subject for ${p.providerType} providers.`,
    );
  return p;
}

const isCognito = (name: string) => name.toLowerCase() === 'cognito';

/** DestinationUser: a native user by username, or a federated profile by its provider's user id. */
function destinationOf(pool: PoolRecord, u: ProviderUser): UserRecord {
  if (isCognito(u.ProviderName)) return adminUser(pool, u.ProviderAttributeValue);
  const user = pool.users[federatedUsername(pool, u.ProviderName, u.ProviderAttributeValue)];
  if (!user) throw userNotFound();
  return user;
}

/**
 * ProviderName Cognito: the native user can no longer sign in with its password (Cognito's words). Its
 * password becomes a random one nobody knows, so password and SRP sign-ins fail like a wrong password;
 * linked identities still sign in as the user, and AdminSetUserPassword gives it a password again.
 */
async function disablePassword(ctx: Ctx, pool: PoolRecord, u: ProviderUser) {
  if (u.ProviderAttributeName !== 'Cognito_Subject')
    throw invalidParameter('Invalid User: ProviderAttributeName must be Cognito_Subject for Cognito.');
  const user = adminUser(pool, u.ProviderAttributeValue);
  if (user.status === 'EXTERNAL_PROVIDER')
    throw invalidParameter('Invalid User: the user is not a native user of this user pool.');
  Object.assign(user, await passwordMaterial(pool, user.username, opaque(32)));
  user.modifiedAt = ctx.clock();
  await ctx.store.commit();
}

export const providerLinkOperations = {
  /** Links an identity that has not signed in yet to an existing user, who then signs in in its place. */
  async AdminLinkProviderForUser(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const destination = destinationOf(pool, providerUser(input, 'DestinationUser'));
    const source = providerUser(input, 'SourceUser');
    if (isCognito(source.ProviderName))
      throw invalidParameter(
        'Invalid SourceUser: the source must be a user of an external identity provider.',
      );
    const p = externalProvider(pool, source, 'SourceUser');
    const userId = source.ProviderAttributeValue;
    if (linkedUser(pool, p.providerName, userId))
      throw invalidParameter('SourceUser is already linked to DestinationUser');
    if (pool.users[federatedUsername(pool, p.providerName, userId)])
      throw invalidParameter(
        'Merging is not currently supported, provide a SourceUser that has not been signed up in order to link',
      );
    const identities = identitiesOf(destination);
    if (identities.filter((i) => !i.primary).length >= maxLinks)
      throw new CognitoError(
        'LimitExceededException',
        `A user can have at most ${maxLinks} linked identities.`,
      );
    const link: LinkedIdentity = {
      userId,
      providerName: p.providerName,
      providerType: p.providerType,
      issuer: null,
      primary: false,
      dateCreated: ctx.clock(),
    };
    setIdentities(destination, [...identities, link]);
    destination.modifiedAt = ctx.clock();
    await ctx.store.commit();
    return {};
  },

  /**
   * Ends sign-ins through an external identity: a link to a user is removed (the identity's next
   * sign-in makes a new profile); the identity's own federated profile is disabled and signed out.
   * With ProviderName Cognito, a native user's password sign-in (disablePassword).
   */
  async AdminDisableProviderForUser(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const u = providerUser(input, 'User');
    if (isCognito(u.ProviderName)) {
      await disablePassword(ctx, pool, u);
      return {};
    }
    const p = externalProvider(pool, u, 'User');
    const userId = u.ProviderAttributeValue;
    let found = false;
    const linked = linkedUser(pool, p.providerName, userId);
    if (linked) {
      setIdentities(
        linked,
        identitiesOf(linked).filter(
          (i) => i.primary || i.providerName !== p.providerName || i.userId !== userId,
        ),
      );
      linked.modifiedAt = ctx.clock();
      found = true;
    }
    const own = pool.users[federatedUsername(pool, p.providerName, userId)];
    if (own) {
      own.enabled = false;
      own.modifiedAt = ctx.clock();
      revokeUserSessions(ctx, pool.id, own.username);
      found = true;
    }
    if (!found) throw userNotFound();
    await ctx.store.commit();
    return {};
  },
};
