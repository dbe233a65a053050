import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolPassword, runPythonFixture, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { seq, uniquePhone } from './sign-in-pool.ts';

const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
const boto3Missing = probe.status !== 0;
if (boto3Missing) console.warn(`skipping the boto3 sign-in rules test: ${probe.stderr || probe.error}`);

let t: TestIdp;
beforeAll(async () => {
  if (!boto3Missing) t = await startTestIdp();
});
afterAll(() => t?.close());

describe.skipIf(boto3Missing)('boto3: sign-in attributes', () => {
  it('alias and phone-number pools, case-insensitive names, admin-verified phones, ListUsers filters', async () => {
    const tag = `${process.pid}x${seq()}`;
    const [phone, phone2] = [uniquePhone(), uniquePhone()];
    const run = await runPythonFixture(t.idp.url, 'boto3_sign_in_rules.py', {
      env: {
        EMAIL: uniqueEmail('boto3-alias'),
        PASSWORD: poolPassword,
        TAG: tag,
        PHONE: phone,
        PHONE2: phone2,
      },
    });
    expect(run.stderr).toBe('');
    const name = `Ada${tag}`;
    expect(JSON.parse(run.stdout)).toEqual({
      alias: {
        byUpperName: name,
        byNick: name,
        byEmail: name,
        byPhoneUnverified: 'UserNotFoundException',
        byPhoneVerified: name,
        adminGet: name,
        caseVariant: 'UsernameExistsException: User already exists',
        emailName:
          'InvalidParameterException: Username cannot be of email format, since user pool is configured for email alias.',
        byPhoneFilter: [name],
        byNickPrefix: [name],
      },
      phone: {
        confirmedAtSignUp: false,
        usernameIsSub: true,
        verified: 'true',
        signedIn: true,
        emailRefused: 'InvalidParameterException: Username should be a phone number.',
        taken: 'UsernameExistsException: An account with the given phone_number already exists.',
      },
    });
  });
});
