import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devicePassword } from './device-helpers.ts';
import { runPythonFixture, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';

const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
const boto3Missing = probe.status !== 0;
if (boto3Missing) console.warn(`skipping the boto3 device test: ${probe.stderr || probe.error}`);

let t: TestIdp;

/** Runs a boto3 fixture against the IdP (asynchronously: the IdP answers from this very process). */
async function runFixture(script: string) {
  const run = await runPythonFixture(t.idp.url, script, {
    env: { EMAIL: uniqueEmail('boto3'), PASSWORD: devicePassword },
  });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout);
}
beforeAll(async () => {
  if (!boto3Missing) t = await startTestIdp();
});
afterAll(() => t?.close());

describe.skipIf(boto3Missing)('boto3: devices and auth events', () => {
  it('confirm, get, list, update status, forget — user and admin — with Cognito errors', async () => {
    expect(await runFixture('boto3_devices.py')).toEqual({
      userConfirmationNecessary: true,
      got: {
        device_status: 'valid',
        device_name: 'boto3',
        last_ip_used: '127.0.0.1',
        'dev:device_remembered_status': 'remembered',
      },
      listed: [true],
      adminGot: 'not_remembered',
      adminListed: 1,
      afterForget: [],
      forgotten: 'ResourceNotFoundException: Device does not exist.',
      badStatus:
        "InvalidParameterException: 1 validation error detected: Value 'maybe' at 'deviceRememberedStatus' failed to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]",
      unknownUser: 'UserNotFoundException: User does not exist.',
    });
  });

  it('a remembered device signs in with DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER, after a password and after SRP', async () => {
    expect(await runFixture('boto3_device_srp.py')).toEqual({
      userConfirmationNecessary: false,
      afterPassword: 'DEVICE_SRP_AUTH',
      verifierStep: 'DEVICE_PASSWORD_VERIFIER',
      verifierParameters: ['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME'],
      passwordDeviceKey: true,
      passwordNewDevice: false,
      afterSrp: 'DEVICE_SRP_AUTH',
      srpDeviceKey: true,
      wrongSecret: 'NotAuthorizedException: Incorrect username or password.',
    });
  });

  it('admin_list_user_auth_events through its paginator, and the refusal without threat protection', async () => {
    expect(await runFixture('boto3_auth_events.py')).toEqual({
      events: [
        ['SignIn', 'Pass', 'Success'],
        ['SignIn', 'Pass', 'Success'],
        ['SignIn', 'Fail', 'Failure'],
      ],
      dated: true,
      refused: 'UserPoolAddOnNotEnabledException',
    });
  });

  it('ResendCode and wrong-MFA-code events; admin_disable_provider_for_user with ProviderName Cognito', async () => {
    expect(await runFixture('boto3_events_and_disable.py')).toEqual({
      mismatch: 'CodeMismatchException: Invalid code or auth state for the user.',
      events: [
        [
          'SignIn',
          'Fail',
          [
            ['Password', 'Success'],
            ['Mfa', 'Failure'],
          ],
        ],
        ['SignIn', 'Pass', [['Password', 'Success']]],
        ['ResendCode', 'Pass', []],
        ['SignUp', 'Pass', []],
      ],
      before: true,
      badName:
        'InvalidParameterException: Invalid User: ProviderAttributeName must be Cognito_Subject for Cognito.',
      after: 'NotAuthorizedException: Incorrect username or password.',
    });
  });
});
