/**
 * ListUsers and ListUsersInGroup answered from the store's ordered indexes (ADR 0186): pages in
 * username order with tokens that hold across writes between pages, the users matched the way the
 * scan matched them, and the index following every write.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  CreateGroupCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from './helpers.ts';

let t: TestIdp;
let poolId: string;
const tag = `ix${Date.now()}`;
/** E-mail → internal username (the sub: the bootstrapped pool signs in by e-mail). */
const made = new Map<string, string>();

beforeAll(async () => {
  t = await startTestIdp();
  poolId = t.idp.pool.poolId;
  for (let i = 0; i < 9; i++) {
    const email = `${tag}.${i}@example.org`;
    const out = await t.cognito.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: email, MessageAction: 'SUPPRESS' }),
    );
    made.set(email, out.User!.Username!);
  }
});
afterAll(() => t.close());

const names = (users: UserType[] | undefined) => (users ?? []).map((u) => u.Username!);
const inOrder = (xs: string[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const list = (Filter: string, Limit?: number, PaginationToken?: string) =>
  t.cognito.send(new ListUsersCommand({ UserPoolId: poolId, Filter, Limit, PaginationToken }));

describe('ListUsers from the index', () => {
  it('pages a prefix filter in username order, following writes made between pages', async () => {
    const first = await list(`email ^= "${tag.toUpperCase()}."`, 2);
    const all = inOrder([...made.values()]);
    expect(names(first.Users)).toEqual(all.slice(0, 2));
    // Between pages: one user leaves the prefix, one is deleted, one joins, one that was already
    // listed changes and must not come back.
    const [, , leaving, deleted] = all;
    const leavingEmail = [...made].find(([, u]) => u === leaving)![0];
    const deletedEmail = [...made].find(([, u]) => u === deleted)![0];
    await t.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: leavingEmail,
        UserAttributes: [
          { Name: 'email', Value: `gone.${tag}@example.org` },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await t.cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: deletedEmail }));
    const joined = await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: `${tag}.new@example.org`,
        MessageAction: 'SUPPRESS',
      }),
    );
    await t.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: all[0]!,
        UserAttributes: [{ Name: 'email', Value: `${tag}.renamed@example.org` }],
      }),
    );
    const rest: string[] = [];
    let token = first.PaginationToken;
    while (token) {
      const page = await list(`email ^= "${tag}."`, 2, token);
      expect(page.Users!.length).toBeLessThanOrEqual(2);
      rest.push(...names(page.Users));
      token = page.PaginationToken;
    }
    const now = [...all.filter((u) => u !== leaving && u !== deleted), joined.User!.Username!];
    expect(rest).toEqual(inOrder(now).filter((u) => u > all[1]!));
    made.delete(deletedEmail);
    made.delete(leavingEmail);
    made.set(`gone.${tag}@example.org`, leaving!);
    made.set(`${tag}.new@example.org`, joined.User!.Username!);
    const renamedEmail = [...made].find(([, u]) => u === all[0])![0];
    made.delete(renamedEmail);
    made.set(`${tag}.renamed@example.org`, all[0]!);
  });

  it('answers exact filters on email, sub and username as the scan did', async () => {
    // One of the nine first users the test before left alone (which ones it moved depends on the
    // random subs' order).
    const [email, username] = [...made].find(([e]) => /^\d@/.test(e.slice(tag.length + 1)))!;
    // E-mails compare through normaliseEmail: another capitalisation and a trailing dot find it.
    expect(names((await list(`email = "${email.toUpperCase()}."`)).Users)).toEqual([username]);
    expect(names((await list(`sub = "${username.toUpperCase()}"`)).Users)).toEqual([username]);
    expect(names((await list(`username = "${username}"`)).Users)).toEqual([username]);
    // Usernames compare case-sensitively in this pool (UsernameConfiguration CaseSensitive true).
    expect((await list(`username = "${username.toUpperCase()}"`)).Users).toEqual([]);
    expect(names((await list(`sub ^= "${username.slice(0, 8)}"`)).Users)).toContain(username);
    expect((await list(`email = "${tag}.nobody@example.org"`)).Users).toEqual([]);
  });

  it('keeps Cognito errors for bad filters and tokens', async () => {
    const err = (p: Promise<unknown>) => p.catch((e: Error) => [e.name, e.message]);
    expect(await err(list('email ~ "x"'))).toEqual([
      'InvalidParameterException',
      'Error while parsing filter.',
    ]);
    expect(await err(list('custom:x = "y"'))).toEqual([
      'InvalidParameterException',
      'Invalid search attribute: custom:x',
    ]);
    expect(await err(list(`email ^= "${tag}"`, 2, 'bm90IGEgdG9rZW4'))).toEqual([
      'InvalidParameterException',
      'Invalid pagination token.',
    ]);
  });
});

describe('ListUsersInGroup', () => {
  it('pages the members in username order, following a removal between pages', async () => {
    await t.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: `${tag}-g` }));
    const members = [...made.values()].slice(0, 4);
    for (const Username of members)
      await t.cognito.send(
        new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username, GroupName: `${tag}-g` }),
      );
    const sorted = inOrder(members);
    const page = (NextToken?: string) =>
      t.cognito.send(
        new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: `${tag}-g`, Limit: 1, NextToken }),
      );
    const first = await page();
    expect(names(first.Users)).toEqual([sorted[0]]);
    await t.cognito.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: poolId,
        Username: sorted[2]!,
        GroupName: `${tag}-g`,
      }),
    );
    const seen = names(first.Users);
    let token = first.NextToken;
    while (token) {
      const next = await page(token);
      seen.push(...names(next.Users));
      token = next.NextToken;
    }
    expect(seen).toEqual(sorted.filter((u) => u !== sorted[2]));
  });
});
