import type { Ctx } from '../context.ts';
import { checkEnum, checkLength, checkPattern, listAt, objectAt } from '../pools/constraints.ts';
import { CognitoError, invalidParameter, resourceNotFound } from '../protocol/errors.ts';
import { type Input, optInt, optStr, str } from '../protocol/params.ts';
import { type Dict, dict } from '../store/dict.ts';
import type { IdentityProviderRecord, PoolRecord } from '../store/state.ts';
import { poolById } from '../users/lookup.ts';
import { epoch } from '../users/shape.ts';
import { paginate } from './paging.ts';
import { withDiscoveredEndpoints } from './provider-discovery.ts';

const providerTypes = ['SAML', 'Facebook', 'Google', 'LoginWithAmazon', 'SignInWithApple', 'OIDC'] as const;

/** ProviderDetails each type needs (Cognito's CreateIdentityProvider reference). */
const requiredDetails: Record<string, string[]> = {
  OIDC: ['client_id', 'authorize_scopes', 'oidc_issuer', 'attributes_request_method'],
  Google: ['client_id', 'client_secret', 'authorize_scopes'],
  Facebook: ['client_id', 'client_secret', 'authorize_scopes'],
  LoginWithAmazon: ['client_id', 'client_secret', 'authorize_scopes'],
  SignInWithApple: ['client_id', 'team_id', 'key_id', 'private_key', 'authorize_scopes'],
  SAML: [],
};

function stringMap(path: string, raw: unknown, keyMax: number): Dict<string> {
  const o = objectAt(path, raw) ?? {};
  const out = dict<string>();
  for (const [k, v] of Object.entries(o)) {
    checkLength(path, k, 1, keyMax);
    if (typeof v !== 'string') throw invalidParameter(`${path}.${k} must be a string`);
    out[k] = v;
  }
  return out;
}

function checkDetails(type: string, details: Dict<string>) {
  if (type === 'SAML' && !details.MetadataURL && !details.MetadataFile)
    throw invalidParameter('SAML providers need MetadataURL or MetadataFile in ProviderDetails.');
  for (const key of requiredDetails[type] ?? [])
    if (!details[key]) throw invalidParameter(`ProviderDetails for ${type} needs ${key}.`);
  if (type === 'OIDC') {
    if (!['GET', 'POST'].includes(details.attributes_request_method!))
      throw invalidParameter('attributes_request_method must be GET or POST.');
    let issuer: URL;
    try {
      issuer = new URL(details.oidc_issuer!);
    } catch {
      throw invalidParameter('oidc_issuer must be a URL.');
    }
    if (!['https:', 'http:'].includes(issuer.protocol))
      throw invalidParameter('oidc_issuer must be an http(s) URL.');
    if (!details.authorize_scopes!.split(/\s+/).includes('openid'))
      throw invalidParameter('authorize_scopes for an OIDC provider must include openid.');
  }
}

function parseIdentifiers(raw: unknown): string[] {
  const list = listAt('idpIdentifiers', raw) ?? [];
  if (list.length > 50) throw invalidParameter('A provider can have at most 50 IdpIdentifiers.');
  return list.map((v, i) =>
    checkPattern(
      `idpIdentifiers.${i + 1}.member`,
      checkLength(`idpIdentifiers.${i + 1}.member`, v, 1, 40),
      '[\\w\\s+=.@-]+',
    ),
  );
}

/** An identifier must name one provider of the pool only. */
function checkIdentifiersFree(pool: PoolRecord, name: string, ids: string[]) {
  for (const p of Object.values(pool.identityProviders ?? {}))
    for (const id of ids)
      if (p.providerName !== name && p.idpIdentifiers.includes(id))
        throw invalidParameter(`The identifier ${id} is already used by the provider ${p.providerName}.`);
}

export function providerByName(pool: PoolRecord, name: string): IdentityProviderRecord {
  const p = pool.identityProviders?.[name];
  if (!p) throw resourceNotFound(`Identity provider ${name} does not exist.`);
  return p;
}

/** IdentityProviderType, as Create/Describe/Update and GetIdentityProviderByIdentifier return it. */
export function providerType(pool: PoolRecord, p: IdentityProviderRecord) {
  return {
    UserPoolId: pool.id,
    ProviderName: p.providerName,
    ProviderType: p.providerType,
    ProviderDetails: { ...p.providerDetails },
    AttributeMapping: { ...p.attributeMapping },
    IdpIdentifiers: [...p.idpIdentifiers],
    LastModifiedDate: epoch(p.modifiedAt),
    CreationDate: epoch(p.createdAt),
  };
}

export const identityProviderOperations = {
  async CreateIdentityProvider(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const name = checkPattern(
      'providerName',
      checkLength('providerName', str(input, 'ProviderName'), 1, 32),
      '[^_\\p{Z}][\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}][^_\\p{Z}]+',
    );
    if (name === 'COGNITO') throw invalidParameter('COGNITO is a reserved provider name.');
    const type = checkEnum('providerType', input.ProviderType, providerTypes);
    const given = stringMap('providerDetails', input.ProviderDetails, 131072);
    checkDetails(type, given);
    // Discovery first: the checks and the write below then run without an await between them.
    const details = type === 'OIDC' ? await withDiscoveredEndpoints(given) : given;
    const mapping = stringMap('attributeMapping', input.AttributeMapping, 32);
    // Cognito maps the provider's subject to the username unless told otherwise.
    if (type === 'OIDC' && !mapping.username) mapping.username = 'sub';
    const ids = parseIdentifiers(input.IdpIdentifiers);
    if (pool.identityProviders?.[name])
      throw new CognitoError(
        'DuplicateProviderException',
        `A provider with the name ${name} already exists in this user pool.`,
      );
    checkIdentifiersFree(pool, name, ids);
    const now = ctx.clock();
    const record: IdentityProviderRecord = {
      providerName: name,
      providerType: type,
      providerDetails: details,
      attributeMapping: mapping,
      idpIdentifiers: ids,
      createdAt: now,
      modifiedAt: now,
    };
    pool.identityProviders ??= dict();
    pool.identityProviders[name] = record;
    await ctx.store.commit();
    return { IdentityProvider: providerType(pool, record) };
  },

  DescribeIdentityProvider(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    return { IdentityProvider: providerType(pool, providerByName(pool, str(input, 'ProviderName'))) };
  },

  GetIdentityProviderByIdentifier(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const id = str(input, 'IdpIdentifier');
    const p = Object.values(pool.identityProviders ?? {}).find((x) => x.idpIdentifiers.includes(id));
    if (!p) throw resourceNotFound(`Identity provider with identifier ${id} does not exist.`);
    return { IdentityProvider: providerType(pool, p) };
  },

  ListIdentityProviders(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const max = optInt(input, 'MaxResults', 0, 60) || 60;
    const all = Object.values(pool.identityProviders ?? {});
    const { page, next } = paginate(all, (p) => p.providerName, max, optStr(input, 'NextToken'));
    return {
      Providers: page.map((p) => ({
        ProviderName: p.providerName,
        ProviderType: p.providerType,
        LastModifiedDate: epoch(p.modifiedAt),
        CreationDate: epoch(p.createdAt),
      })),
      NextToken: next,
    };
  },

  /** UpdateIdentityProvider: replaces the details, mapping or identifiers it is given; the rest stays. */
  async UpdateIdentityProvider(ctx: Ctx, input: Input) {
    const poolId = str(input, 'UserPoolId');
    const name = str(input, 'ProviderName');
    const before = providerByName(poolById(ctx, poolId), name);
    const given =
      input.ProviderDetails == null
        ? before.providerDetails
        : stringMap('providerDetails', input.ProviderDetails, 131072);
    checkDetails(before.providerType, given);
    // Cognito reads discovery again on an update that carries details (Terraform sends them all).
    const details =
      before.providerType === 'OIDC' && input.ProviderDetails != null
        ? await withDiscoveredEndpoints(given)
        : given;
    // Looked up again after the await: the provider may have changed or gone meanwhile.
    const pool = poolById(ctx, poolId);
    const p = providerByName(pool, name);
    const mapping =
      input.AttributeMapping == null
        ? p.attributeMapping
        : stringMap('attributeMapping', input.AttributeMapping, 32);
    if (p.providerType === 'OIDC' && !mapping.username) mapping.username = 'sub';
    const ids = input.IdpIdentifiers == null ? p.idpIdentifiers : parseIdentifiers(input.IdpIdentifiers);
    checkIdentifiersFree(pool, p.providerName, ids);
    Object.assign(p, {
      providerDetails: details,
      attributeMapping: mapping,
      idpIdentifiers: ids,
      modifiedAt: ctx.clock(),
    });
    await ctx.store.commit();
    return { IdentityProvider: providerType(pool, p) };
  },

  async DeleteIdentityProvider(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const p = providerByName(pool, str(input, 'ProviderName'));
    delete pool.identityProviders![p.providerName];
    await ctx.store.commit();
    return {};
  },
};
