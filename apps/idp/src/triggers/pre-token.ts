import type { Ctx } from '../context.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { groupsOf } from '../users/shape.ts';
import { userAttributesOf, withMetadata } from './events.ts';
import { invalidLambdaResponse, invokeTrigger } from './invoke.ts';

export type TokenSource =
  | 'Authentication'
  | 'NewPasswordChallenge'
  | 'AuthenticateDevice'
  | 'HostedAuth'
  | 'RefreshTokens'
  | 'ClientCredentials';

/** What a PreTokenGeneration answer changes, normalised over V1 and V2/V3. */
export interface TokenCustomisation {
  id: { add: Record<string, unknown>; suppress: string[] };
  access: { add: Record<string, unknown>; suppress: string[]; scopesAdd: string[]; scopesSuppress: string[] };
  groups?: string[];
  roles?: string[];
  preferredRole?: string;
}

/**
 * Claims a function can neither add, change nor suppress: what makes the token verifiable and ties
 * it to its session and client. cognito:groups changes only through groupOverrideDetails.
 */
const reserved = new Set([
  'acr',
  'amr',
  'aud',
  'at_hash',
  'auth_time',
  'azp',
  'client_id',
  'cognito:groups',
  'cognito:preferred_role',
  'cognito:roles',
  'cognito:username',
  'c_hash',
  'event_id',
  'exp',
  'iat',
  'identities',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'origin_jti',
  'scope',
  'sub',
  'token_use',
  'username',
  'version',
]);
// In ID tokens these standard claims keep their plain types (Cognito refuses complex values for them).
const simpleOnly = new Set(['email_verified', 'phone_number_verified', 'updated_at', 'address']);
const userAdminScope = 'aws.cognito.signin.user.admin';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidLambdaResponse();
  return v as string[];
};
const claims = (v: unknown, v1: boolean, id: boolean): Record<string, unknown> => {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw invalidLambdaResponse();
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    // V1 takes strings only; V2/V3 also numbers, booleans, arrays and JSON objects.
    if (v1 && typeof val !== 'string') throw invalidLambdaResponse();
    if (id && simpleOnly.has(k) && typeof val === 'object' && val !== null) throw invalidLambdaResponse();
    if (!reserved.has(k)) out[k] = val;
  }
  return out;
};

function groupOverride(g: unknown): Pick<TokenCustomisation, 'groups' | 'roles' | 'preferredRole'> {
  if (g === undefined || g === null) return {};
  if (!isObject(g)) throw invalidLambdaResponse();
  return {
    ...(g.groupsToOverride != null ? { groups: strings(g.groupsToOverride) } : {}),
    ...(g.iamRolesToOverride != null ? { roles: strings(g.iamRolesToOverride) } : {}),
    ...(typeof g.preferredRole === 'string' ? { preferredRole: g.preferredRole } : {}),
  };
}

function parse(r: Record<string, unknown>, v1: boolean): TokenCustomisation {
  const none = (): TokenCustomisation => ({
    id: { add: {}, suppress: [] },
    access: { add: {}, suppress: [], scopesAdd: [], scopesSuppress: [] },
  });
  if (v1) {
    const d = r.claimsOverrideDetails;
    if (d === undefined || d === null) return none();
    if (!isObject(d)) throw invalidLambdaResponse();
    const out = none();
    out.id = {
      add: claims(d.claimsToAddOrOverride, true, true),
      suppress: strings(d.claimsToSuppress).filter((c) => !reserved.has(c)),
    };
    return { ...out, ...groupOverride(d.groupOverrideDetails) };
  }
  const d = r.claimsAndScopeOverrideDetails;
  if (d === undefined || d === null) return none();
  if (!isObject(d)) throw invalidLambdaResponse();
  const idGen = d.idTokenGeneration ?? {};
  const accessGen = d.accessTokenGeneration ?? {};
  if (!isObject(idGen) || !isObject(accessGen)) throw invalidLambdaResponse();
  return {
    id: {
      add: claims(idGen.claimsToAddOrOverride, false, true),
      suppress: strings(idGen.claimsToSuppress).filter((c) => !reserved.has(c)),
    },
    access: {
      add: claims(accessGen.claimsToAddOrOverride, false, false),
      suppress: strings(accessGen.claimsToSuppress).filter((c) => !reserved.has(c)),
      // The user-pool API scope is granted by how one signs in, never by a function.
      scopesAdd: strings(accessGen.scopesToAdd).filter((s) => s !== userAdminScope),
      scopesSuppress: strings(accessGen.scopesToSuppress),
    },
    ...groupOverride(d.groupOverrideDetails),
  };
}

/**
 * PreTokenGeneration before tokens are signed, in the pool's configured version: V1_0 (ID token),
 * V2_0 (ID and access tokens of users), V3_0 (also machine tokens). Returns undefined without a
 * trigger, or for a machine token below V3_0.
 */
export async function preTokenGeneration(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  call: { source: TokenSource; user?: UserRecord; scopes: string[]; clientMetadata?: Record<string, string> },
): Promise<TokenCustomisation | undefined> {
  const version = pool.lambdaConfig?.PreTokenGenerationConfig?.LambdaVersion ?? 'V1_0';
  if (call.source === 'ClientCredentials' && version !== 'V3_0') return undefined;
  const v1 = version === 'V1_0';
  const user = call.user;
  const groups = user ? groupsOf(pool, user) : [];
  const roles = groups.map((g) => pool.groups[g]?.roleArn).filter((r): r is string => Boolean(r));
  const r = await invokeTrigger(ctx, pool, 'PreTokenGeneration', {
    version: v1 ? '1' : version === 'V2_0' ? '2' : '3',
    triggerSource: `TokenGeneration_${call.source}`,
    userName: user?.username ?? client.clientId,
    clientId: client.clientId,
    request: withMetadata(
      {
        userAttributes: user ? userAttributesOf(user) : {},
        groupConfiguration: {
          groupsToOverride: groups,
          iamRolesToOverride: roles,
          preferredRole: roles[0] ?? null,
        },
        ...(v1 ? {} : { scopes: call.scopes }),
      },
      call.clientMetadata,
    ),
    response: v1 ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
  });
  return r ? parse(r, v1) : undefined;
}

/** Applies a customisation to ID-token claims (in place). */
export function customiseIdClaims(claims: Record<string, unknown>, c?: TokenCustomisation) {
  if (!c) return claims;
  for (const k of c.id.suppress) delete claims[k];
  Object.assign(claims, c.id.add);
  if (c.roles) claims['cognito:roles'] = c.roles;
  if (c.preferredRole) claims['cognito:preferred_role'] = c.preferredRole;
  return claims;
}

/** Applies a customisation to access-token claims (in place), scopes included. */
export function customiseAccessClaims(claims: Record<string, unknown>, c?: TokenCustomisation) {
  if (!c) return claims;
  for (const k of c.access.suppress) delete claims[k];
  Object.assign(claims, c.access.add);
  if (typeof claims.scope === 'string') {
    const scopes = claims.scope.split(' ').filter((s) => s && !c.access.scopesSuppress.includes(s));
    for (const s of c.access.scopesAdd) if (!scopes.includes(s)) scopes.push(s);
    claims.scope = scopes.join(' ');
  }
  return claims;
}
