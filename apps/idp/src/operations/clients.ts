import type { Ctx } from '../context.ts';
import { newClientId, newClientSecret } from '../ids.ts';
import { invalidParameter, missingMember } from '../protocol/errors.ts';
import { type Input, optBool, optInt, optStr, optStrList, str } from '../protocol/params.ts';
import { dict } from '../store/dict.ts';
import type { ClientRecord, PoolRecord, TokenValidityRecord } from '../store/state.ts';
import { clientById, poolById } from '../users/lookup.ts';
import { epoch } from '../users/shape.ts';
import { describeClientOAuth, parseClientOAuth } from './client-oauth.ts';
import { paginate } from './paging.ts';

const knownFlows = new Set([
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_USER_AUTH',
  'ADMIN_NO_SRP_AUTH',
  'CUSTOM_AUTH_FLOW_ONLY',
  'USER_PASSWORD_AUTH',
]);

const unitSeconds = dict({ seconds: 1, minutes: 60, hours: 3600, days: 86400 });

export interface NewClient {
  clientName: string;
  generateSecret: boolean;
  explicitAuthFlows?: string[];
  preventUserExistenceErrors?: 'ENABLED' | 'LEGACY';
  enableTokenRevocation?: boolean;
  tokenValidity?: TokenValidityRecord;
  readAttributes?: string[];
  writeAttributes?: string[];
  refreshTokenRotation?: ClientRecord['refreshTokenRotation'];
  oauth?: ClientRecord['oauth'];
}

/** Cognito's default lifetimes: access and ID 60 minutes, refresh 30 days. */
export function tokenValidity(
  access = 60,
  id = 60,
  refresh = 30,
  units = { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
): TokenValidityRecord {
  const s = (n: number, unit: string) => n * (unitSeconds[unit] ?? Number.NaN);
  const v = {
    access,
    id,
    refresh,
    units,
    accessSeconds: s(access, units.AccessToken),
    idSeconds: s(id, units.IdToken),
    refreshSeconds: s(refresh, units.RefreshToken),
  };
  for (const [name, secs] of [
    ['AccessTokenValidity', v.accessSeconds],
    ['IdTokenValidity', v.idSeconds],
  ] as const) {
    if (!(secs >= 300 && secs <= 86400))
      throw invalidParameter(`${name} must be between 5 minutes and 1 day (got ${secs} seconds).`);
  }
  if (!(v.refreshSeconds >= 3600 && v.refreshSeconds <= 3650 * 86400))
    throw invalidParameter(`RefreshTokenValidity must be between 60 minutes and 10 years.`);
  return v;
}

/** Known names only, and never legacy names (no ALLOW_ prefix) beside ALLOW_ ones, as Cognito requires. */
function checkFlows(flows: string[]) {
  for (const f of flows)
    if (!knownFlows.has(f)) throw invalidParameter(`Invalid ExplicitAuthFlows value: ${f}`);
  const prefixed = flows.filter((f) => f.startsWith('ALLOW_')).length;
  if (prefixed > 0 && prefixed < flows.length)
    throw invalidParameter(
      'ExplicitAuthFlows values with the ALLOW_ prefix cannot be used together with values without it.',
    );
}

export function createClient(ctx: Ctx, pool: PoolRecord, input: NewClient): ClientRecord {
  const flows = input.explicitAuthFlows ?? [
    'ALLOW_REFRESH_TOKEN_AUTH',
    'ALLOW_USER_SRP_AUTH',
    'ALLOW_CUSTOM_AUTH',
  ];
  checkFlows(flows);
  const now = ctx.clock();
  const client: ClientRecord = {
    clientId: newClientId(),
    clientSecret: input.generateSecret ? newClientSecret() : undefined,
    clientName: input.clientName,
    userPoolId: pool.id,
    explicitAuthFlows: flows,
    preventUserExistenceErrors: input.preventUserExistenceErrors ?? 'LEGACY',
    enableTokenRevocation: input.enableTokenRevocation ?? true,
    tokenValidity: input.tokenValidity ?? tokenValidity(),
    readAttributes: input.readAttributes,
    writeAttributes: input.writeAttributes,
    refreshTokenRotation: input.refreshTokenRotation,
    oauth: input.oauth,
    createdAt: now,
    modifiedAt: now,
  };
  ctx.store.state.clients[client.clientId] = client;
  // The stored record as the store tracks it: later changes through it are written (ADR 0184).
  return ctx.store.state.clients[client.clientId]!;
}

function describeClient(c: ClientRecord) {
  return {
    UserPoolId: c.userPoolId,
    ClientName: c.clientName,
    ClientId: c.clientId,
    ClientSecret: c.clientSecret,
    CreationDate: epoch(c.createdAt),
    LastModifiedDate: epoch(c.modifiedAt),
    AccessTokenValidity: c.tokenValidity.access,
    IdTokenValidity: c.tokenValidity.id,
    RefreshTokenValidity: c.tokenValidity.refresh,
    TokenValidityUnits: c.tokenValidity.units,
    ExplicitAuthFlows: c.explicitAuthFlows,
    PreventUserExistenceErrors: c.preventUserExistenceErrors,
    EnableTokenRevocation: c.enableTokenRevocation,
    EnablePropagateAdditionalUserContextData: false,
    ...describeClientOAuth(c.oauth),
    AuthSessionValidity: 3,
    ReadAttributes: c.readAttributes,
    WriteAttributes: c.writeAttributes,
    RefreshTokenRotation: {
      Feature: c.refreshTokenRotation?.feature ?? 'DISABLED',
      RetryGracePeriodSeconds: c.refreshTokenRotation?.retryGracePeriodSeconds ?? 0,
    },
  };
}

/** RefreshTokenRotationType: Feature ENABLED|DISABLED (required), RetryGracePeriodSeconds 0..60. */
function parseRotation(input: Input): ClientRecord['refreshTokenRotation'] {
  const v = input.RefreshTokenRotation;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    throw invalidParameter('RefreshTokenRotation must be a structure');
  const r = v as Input;
  const feature = r.Feature;
  if (feature === undefined || feature === null) throw missingMember('RefreshTokenRotation.Feature');
  if (feature !== 'ENABLED' && feature !== 'DISABLED')
    throw invalidParameter(
      `1 validation error detected: Value '${String(feature)}' at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`,
    );
  const grace = optInt(r, 'RetryGracePeriodSeconds', 0, 60) ?? 0;
  return { feature, retryGracePeriodSeconds: grace };
}

function parseValidity(input: Input): TokenValidityRecord {
  const u = (input.TokenValidityUnits ?? {}) as Record<string, unknown>;
  const units = {
    AccessToken: typeof u.AccessToken === 'string' ? u.AccessToken : 'hours',
    IdToken: typeof u.IdToken === 'string' ? u.IdToken : 'hours',
    RefreshToken: typeof u.RefreshToken === 'string' ? u.RefreshToken : 'days',
  };
  const num = (name: string, dflt: number) => {
    const v = input[name];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      throw invalidParameter(`${name} must be a positive integer`);
    return v;
  };
  const noValues =
    input.AccessTokenValidity == null && input.IdTokenValidity == null && input.RefreshTokenValidity == null;
  if (noValues && input.TokenValidityUnits == null) return tokenValidity();
  // Defaults expressed in whatever unit was chosen: 60 minutes / 30 days.
  const dflt = (unit: string, seconds: number) => Math.max(1, Math.round(seconds / (unitSeconds[unit] ?? 1)));
  return tokenValidity(
    num('AccessTokenValidity', dflt(units.AccessToken, 3600)),
    num('IdTokenValidity', dflt(units.IdToken, 3600)),
    num('RefreshTokenValidity', dflt(units.RefreshToken, 30 * 86400)),
    units,
  );
}

function parsePrevent(input: Input) {
  const v = optStr(input, 'PreventUserExistenceErrors');
  if (v !== undefined && v !== 'ENABLED' && v !== 'LEGACY')
    throw invalidParameter('PreventUserExistenceErrors must be ENABLED or LEGACY');
  return v;
}

export const clientOperations = {
  async CreateUserPoolClient(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const generateSecret = optBool(input, 'GenerateSecret') ?? false;
    const client = createClient(ctx, pool, {
      clientName: str(input, 'ClientName'),
      generateSecret,
      explicitAuthFlows: optStrList(input, 'ExplicitAuthFlows'),
      preventUserExistenceErrors: parsePrevent(input),
      enableTokenRevocation: optBool(input, 'EnableTokenRevocation'),
      tokenValidity: parseValidity(input),
      readAttributes: optStrList(input, 'ReadAttributes'),
      writeAttributes: optStrList(input, 'WriteAttributes'),
      refreshTokenRotation: parseRotation(input),
      oauth: parseClientOAuth(input, pool, generateSecret),
    });
    await ctx.store.commit();
    return { UserPoolClient: describeClient(client) };
  },

  DescribeUserPoolClient(ctx: Ctx, input: Input) {
    const poolId = str(input, 'UserPoolId');
    poolById(ctx, poolId);
    const { client } = clientById(ctx, str(input, 'ClientId'));
    if (client.userPoolId !== poolId) clientById(ctx, '');
    return { UserPoolClient: describeClient(client) };
  },

  async UpdateUserPoolClient(ctx: Ctx, input: Input) {
    const poolId = str(input, 'UserPoolId');
    const pool = poolById(ctx, poolId);
    const { client } = clientById(ctx, str(input, 'ClientId'));
    if (client.userPoolId !== poolId) clientById(ctx, '');
    const oauth = parseClientOAuth(input, pool, client.clientSecret !== undefined);
    // Like Cognito, an update replaces every setting: omitted ones go back to their defaults.
    const flows = optStrList(input, 'ExplicitAuthFlows');
    checkFlows(flows ?? []);
    client.clientName = optStr(input, 'ClientName') ?? client.clientName;
    client.explicitAuthFlows = flows ?? [
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_CUSTOM_AUTH',
    ];
    client.preventUserExistenceErrors = parsePrevent(input) ?? 'LEGACY';
    client.enableTokenRevocation = optBool(input, 'EnableTokenRevocation') ?? true;
    client.tokenValidity = parseValidity(input);
    client.refreshTokenRotation = parseRotation(input);
    client.oauth = oauth;
    client.modifiedAt = ctx.clock();
    await ctx.store.commit();
    return { UserPoolClient: describeClient(client) };
  },

  ListUserPoolClients(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const clients = Object.values(ctx.store.state.clients)
      .filter((c) => c.userPoolId === pool.id)
      .sort((a, b) => a.clientId.localeCompare(b.clientId));
    const max = typeof input.MaxResults === 'number' ? input.MaxResults : 60;
    const { page, next } = paginate(clients, (c) => c.clientId, max, optStr(input, 'NextToken'));
    return {
      UserPoolClients: page.map((c) => ({
        ClientId: c.clientId,
        UserPoolId: c.userPoolId,
        ClientName: c.clientName,
      })),
      NextToken: next,
    };
  },

  async DeleteUserPoolClient(ctx: Ctx, input: Input) {
    const poolId = str(input, 'UserPoolId');
    poolById(ctx, poolId);
    const { client } = clientById(ctx, str(input, 'ClientId'));
    delete ctx.store.state.clients[client.clientId];
    await ctx.store.commit();
    return {};
  },
};
