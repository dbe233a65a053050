/**
 * Every operation that changes state has it on disk before it answers (issue 8, item 14). Each case
 * runs one operation, copies the data folder the moment the answer arrives — what a crash right then
 * would leave — starts a second IdP on the copy and checks the change is there. The table must name
 * every operation the IdP answers (or list it as read-only), so a new mutating operation without a
 * case, and so without a commit check, fails here.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../src/operations/index.ts';
import { configCases } from './durability-cases-config.ts';
import { deviceCases } from './durability-cases-devices.ts';
import { mfaCases } from './durability-cases-mfa.ts';
import { poolApiCases } from './durability-cases-pool-api.ts';
import { userCases } from './durability-cases-users.ts';
import { startTestIdp, type TestIdp } from './helpers.ts';

const readOnly = [
  'DescribeUserPool',
  'ListUserPools',
  'DescribeUserPoolClient',
  'ListUserPoolClients',
  'GetGroup',
  'ListGroups',
  'GetUser',
  'AdminGetUser',
  'AdminListGroupsForUser',
  'ListUsersInGroup',
  'ListUsers',
  'DescribeUserPoolDomain',
  'DescribeResourceServer',
  'ListResourceServers',
  'GetUserPoolMfaConfig',
  'GetUserAuthFactors',
  'AdminGetUserAuthFactors',
  'ListWebAuthnCredentials',
  // Its challenge lives in memory only (3 minutes), like the sign-in challenges.
  'StartWebAuthnRegistration',
  'ListTagsForResource',
  'DescribeIdentityProvider',
  'ListIdentityProviders',
  'GetIdentityProviderByIdentifier',
  'GetDevice',
  'ListDevices',
  'AdminGetDevice',
  'AdminListDevices',
  'AdminListUserAuthEvents',
];

const cases = { ...configCases, ...userCases, ...mfaCases, ...poolApiCases, ...deviceCases };

let t: TestIdp;
const scratch: string[] = [];
beforeAll(async () => {
  t = await startTestIdp();
});
afterAll(async () => {
  await t.close();
  await Promise.all(scratch.map((d) => rm(d, { recursive: true, force: true })));
});

describe('every mutating operation commits before it answers', () => {
  it('has a durability case or a read-only entry for every operation the IdP answers', () => {
    const unclassified = Object.keys(operations).filter((op) => !(op in cases) && !readOnly.includes(op));
    // A new operation: add a case below if it changes state (and commit in it), else list it as read-only.
    expect(unclassified).toEqual([]);
    expect(Object.keys(cases).filter((op) => !(op in operations))).toEqual([]);
  });

  it.each(Object.keys(cases))('%s: the change survives a crash right after the answer', async (op) => {
    const check = await cases[op]!(t);
    // The folder as a crash at this moment would leave it (state.json is replaced atomically).
    const copy = await mkdtemp(join(tmpdir(), 'idp-crash-copy-'));
    scratch.push(copy);
    await cp(t.dataDir, copy, { recursive: true });
    const after = await startTestIdp({ dataDir: copy });
    try {
      await check(after);
    } finally {
      await after.close();
    }
  });
});
