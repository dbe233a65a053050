import { seconds } from '../clock.ts';
import type { GroupRecord, PoolRecord, UserRecord } from '../store/state.ts';

/** Epoch seconds with milliseconds, the JSON 1.1 timestamp format the SDKs parse. */
export const epoch = (ms: number) => ms / 1000;

export function attributeList(user: UserRecord, only?: string[]) {
  const all = { sub: user.sub, ...user.attributes };
  return Object.entries(all)
    .filter(([name]) => !only || only.includes(name))
    .map(([Name, Value]) => ({ Name, Value }));
}

/** UserType, as AdminCreateUser, ListUsers and ListUsersInGroup return it. */
export function userType(user: UserRecord, only?: string[]) {
  return {
    Username: user.username,
    Attributes: attributeList(user, only),
    UserCreateDate: epoch(user.createdAt),
    UserLastModifiedDate: epoch(user.modifiedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

export function groupType(poolId: string, g: GroupRecord) {
  return {
    GroupName: g.groupName,
    UserPoolId: poolId,
    Description: g.description,
    Precedence: g.precedence,
    RoleArn: g.roleArn,
    CreationDate: epoch(g.createdAt),
    LastModifiedDate: epoch(g.modifiedAt),
  };
}

/** Group names for tokens, ordered by precedence (lowest first) like Cognito's cognito:groups. */
export function groupsOf(pool: PoolRecord, user: UserRecord): string[] {
  const prec = (n: string) => pool.groups[n]?.precedence ?? Number.MAX_SAFE_INTEGER;
  return user.groups.filter((g) => pool.groups[g]).sort((a, b) => prec(a) - prec(b) || a.localeCompare(b));
}

export const nowSeconds = seconds;
