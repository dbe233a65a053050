import {
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from '../helpers.ts';

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

describe('LambdaConfig on Create/Describe/Update/ListUserPools (AWS SDK)', () => {
  let t: TestIdp;
  beforeAll(async () => {
    t = await startTestIdp();
  });
  afterAll(() => t.close());

  it('stores every trigger and the versioned configs, and reads them back as written', async () => {
    const LambdaConfig = {
      PreSignUp: fn('pre-sign-up'),
      CustomMessage: fn('custom-message'),
      PostConfirmation: fn('post-confirmation'),
      PreAuthentication: fn('pre-auth'),
      PostAuthentication: fn('post-auth'),
      DefineAuthChallenge: fn('define'),
      CreateAuthChallenge: fn('create'),
      VerifyAuthChallengeResponse: fn('verify'),
      UserMigration: fn('migrate'),
      PreTokenGenerationConfig: { LambdaArn: fn('pre-token'), LambdaVersion: 'V2_0' as const },
      CustomEmailSender: { LambdaArn: fn('email-sender'), LambdaVersion: 'V1_0' as const },
      KMSKeyID: 'arn:aws:kms:us-east-1:123456789012:key/abcd',
    };
    const created = await t.cognito.send(new CreateUserPoolCommand({ PoolName: 'triggers', LambdaConfig }));
    const id = created.UserPool!.Id!;
    const expected = { ...LambdaConfig, PreTokenGeneration: fn('pre-token') };
    expect(created.UserPool!.LambdaConfig).toEqual(expected);
    const described = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: id }));
    expect(described.UserPool!.LambdaConfig).toEqual(expected);
    const listed = await t.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(listed.UserPools!.find((p) => p.Id === id)!.LambdaConfig).toEqual(expected);
  });

  it('a bare PreTokenGeneration reads back as V1_0; UpdateUserPool replaces, and leaving it out clears', async () => {
    const { UserPool } = await t.cognito.send(
      new CreateUserPoolCommand({ PoolName: 'v1', LambdaConfig: { PreTokenGeneration: fn('pre-token') } }),
    );
    const id = UserPool!.Id!;
    expect(UserPool!.LambdaConfig!.PreTokenGenerationConfig).toEqual({
      LambdaArn: fn('pre-token'),
      LambdaVersion: 'V1_0',
    });
    await t.cognito.send(
      new UpdateUserPoolCommand({
        UserPoolId: id,
        LambdaConfig: {
          PreSignUp: fn('pre-sign-up'),
          PreTokenGenerationConfig: { LambdaArn: fn('pre-token-3'), LambdaVersion: 'V3_0' },
        },
      }),
    );
    const after = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: id }));
    expect(after.UserPool!.LambdaConfig).toEqual({
      PreSignUp: fn('pre-sign-up'),
      PreTokenGeneration: fn('pre-token-3'),
      PreTokenGenerationConfig: { LambdaArn: fn('pre-token-3'), LambdaVersion: 'V3_0' },
    });
    await t.cognito.send(new UpdateUserPoolCommand({ UserPoolId: id }));
    const cleared = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: id }));
    expect(cleared.UserPool!.LambdaConfig).toEqual({});
  });

  it('refuses a malformed ARN, an unknown version and a custom sender without a KMS key, changing nothing', async () => {
    const { UserPool } = await t.cognito.send(
      new CreateUserPoolCommand({ PoolName: 'bad', LambdaConfig: { PreSignUp: fn('keep') } }),
    );
    const id = UserPool!.Id!;
    const bad = [
      { PreSignUp: 'my-function' },
      { PreTokenGenerationConfig: { LambdaArn: fn('x'), LambdaVersion: 'V4_0' } },
      { CustomEmailSender: { LambdaArn: fn('x'), LambdaVersion: 'V1_0' } },
      {
        PreTokenGeneration: fn('a'),
        PreTokenGenerationConfig: { LambdaArn: fn('b'), LambdaVersion: 'V2_0' },
      },
    ];
    for (const LambdaConfig of bad) {
      const err = await t.cognito
        // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed input
        .send(new UpdateUserPoolCommand({ UserPoolId: id, LambdaConfig: LambdaConfig as any }))
        .catch((e) => e);
      expect(err.name).toBe('InvalidParameterException');
    }
    const after = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: id }));
    expect(after.UserPool!.LambdaConfig).toEqual({ PreSignUp: fn('keep') });
  });
});
