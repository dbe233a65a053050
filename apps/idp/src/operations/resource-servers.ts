import type { Ctx } from '../context.ts';
import { invalidParameter, resourceNotFound } from '../protocol/errors.ts';
import { type Input, optInt, optStr, str } from '../protocol/params.ts';
import { dict } from '../store/dict.ts';
import type { PoolRecord, ResourceServerRecord } from '../store/state.ts';
import { poolById } from '../users/lookup.ts';
import { paginate } from './paging.ts';

// The model's patterns (ResourceServerIdentifierType, ResourceServerScopeNameType, ResourceServerNameType).
const identifierPattern = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;
const scopeNamePattern = /^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$/;
const namePattern = /^[\w\s+=,.@-]{1,256}$/;

function constraint(value: string, member: string, rule: string) {
  return invalidParameter(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${rule}`,
  );
}

function parseServer(input: Input): Omit<ResourceServerRecord, 'identifier'> & { identifier: string } {
  const identifier = str(input, 'Identifier');
  if (!identifierPattern.test(identifier))
    throw constraint(
      identifier,
      'identifier',
      'Member must satisfy regular expression pattern: [\\x21\\x23-\\x5B\\x5D-\\x7E]+',
    );
  const name = str(input, 'Name');
  if (!namePattern.test(name))
    throw constraint(name, 'name', 'Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+');
  const raw = input.Scopes ?? [];
  if (!Array.isArray(raw)) throw invalidParameter('Scopes must be a list of {ScopeName, ScopeDescription}');
  if (raw.length > 100)
    throw constraint('[...]', 'scopes', 'Member must have length less than or equal to 100');
  const scopes = raw.map((s: unknown, i: number) => {
    const scope = (s ?? {}) as Input;
    const scopeName = optStr(scope, 'ScopeName');
    const description = optStr(scope, 'ScopeDescription');
    if (!scopeName)
      throw invalidParameter(
        `1 validation error detected: Value null at 'scopes.${i + 1}.member.scopeName' failed to satisfy constraint: Member must not be null`,
      );
    if (!description)
      throw invalidParameter(
        `1 validation error detected: Value null at 'scopes.${i + 1}.member.scopeDescription' failed to satisfy constraint: Member must not be null`,
      );
    if (!scopeNamePattern.test(scopeName))
      throw constraint(
        scopeName,
        `scopes.${i + 1}.member.scopeName`,
        'Member must satisfy regular expression pattern: [\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]+',
      );
    if (description.length > 256)
      throw constraint(
        description,
        `scopes.${i + 1}.member.scopeDescription`,
        'Member must have length less than or equal to 256',
      );
    return { name: scopeName, description };
  });
  const names = new Set(scopes.map((s) => s.name));
  if (names.size !== scopes.length) throw invalidParameter('Duplicate scope names are not allowed.');
  return { identifier, name, scopes };
}

const describe = (pool: PoolRecord, r: ResourceServerRecord) => ({
  UserPoolId: pool.id,
  Identifier: r.identifier,
  Name: r.name,
  Scopes: r.scopes.map((s) => ({ ScopeName: s.name, ScopeDescription: s.description })),
});

function existing(pool: PoolRecord, identifier: string): ResourceServerRecord {
  const r = pool.resourceServers?.[identifier];
  if (!r) throw resourceNotFound(`Resource server ${identifier} does not exist.`);
  return r;
}

/** Every custom scope of a pool, as clients and tokens name them: `<identifier>/<scopeName>`. */
export function customScopes(pool: PoolRecord): Set<string> {
  const out = new Set<string>();
  for (const r of Object.values(pool.resourceServers ?? {}))
    for (const s of r.scopes) out.add(`${r.identifier}/${s.name}`);
  return out;
}

export const resourceServerOperations = {
  async CreateResourceServer(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const server = parseServer(input);
    pool.resourceServers ??= dict();
    if (Object.hasOwn(pool.resourceServers, server.identifier))
      throw invalidParameter(`${server.identifier} already exists in pool ${pool.id}`);
    pool.resourceServers[server.identifier] = server;
    await ctx.store.commit();
    return { ResourceServer: describe(pool, server) };
  },

  DescribeResourceServer(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    return { ResourceServer: describe(pool, existing(pool, str(input, 'Identifier'))) };
  },

  ListResourceServers(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const max = optInt(input, 'MaxResults', 1, 50) ?? 50;
    const all = Object.values(pool.resourceServers ?? {});
    const { page, next } = paginate(all, (r) => r.identifier, max, optStr(input, 'NextToken'));
    return { ResourceServers: page.map((r) => describe(pool, r)), NextToken: next };
  },

  /** A full replacement, as in Cognito: scopes left out are removed. */
  async UpdateResourceServer(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const server = parseServer(input);
    existing(pool, server.identifier);
    pool.resourceServers![server.identifier] = server;
    await ctx.store.commit();
    return { ResourceServer: describe(pool, server) };
  },

  async DeleteResourceServer(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const identifier = str(input, 'Identifier');
    existing(pool, identifier);
    delete pool.resourceServers![identifier];
    await ctx.store.commit();
    return {};
  },
};
