import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolPassword, runPythonFixture, startTestIdp, type TestIdp } from './helpers.ts';
import { uniquePhone } from './sign-in-pool.ts';

const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
const boto3Missing = probe.status !== 0;
if (boto3Missing) console.warn(`skipping the boto3 phone-code test: ${probe.stderr || probe.error}`);

let t: TestIdp;
beforeAll(async () => {
  if (!boto3Missing) t = await startTestIdp();
});
afterAll(() => t?.close());

const masked = (phone: string) => `+${'*'.repeat(phone.length - 5)}${phone.slice(-4)}`;
const sms = (phone: string) => ({
  Destination: masked(phone),
  DeliveryMedium: 'SMS',
  AttributeName: 'phone_number',
});

describe.skipIf(boto3Missing)('boto3: phone verification codes', () => {
  it('texts sign-up and attribute codes to the dev mailbox and verifies the phone number', async () => {
    const [phone, phone2] = [uniquePhone(), uniquePhone()];
    const run = await runPythonFixture(t.idp.url, 'boto3_phone_codes.py', {
      env: { PASSWORD: poolPassword, PHONE: phone, PHONE2: phone2 },
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      signUpDelivery: sms(phone),
      confirmMismatch: 'CodeMismatchException',
      phoneVerifiedAtConfirm: 'true',
      updateDelivery: [sms(phone2)],
      verificationDelivery: sms(phone2),
      verifyMismatch: 'CodeMismatchException',
      phone: phone2,
      phoneVerified: 'true',
    });
  });
});
