import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectFunctionsFile } from '@app/stack';
import { Template } from 'aws-cdk-lib/assertions';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFunctionMap } from '../../apps/idp/src/triggers/targets.ts';
import { buildApp } from '../src/app.ts';
import { functionEntries, functionsDir } from '../src/auth/triggers.ts';
import { contexts, resourcesOf } from './synth.ts';

type Props = Record<string, unknown>;

/** A string that only that handler's source has, so its bundle can be recognised. */
const markers: Record<string, string> = {
  'pre-sign-up': 'Disposable e-mail addresses cannot be used',
  'custom-message': 'CustomMessage_AdminCreateUser',
  'post-confirmation': 'user row written',
  'pre-token-generation': 'select plan from users where sub',
};

describe('the pool triggers on AWS (CDK)', () => {
  let outdir: string;
  let template: Template;
  let nag: ReturnType<AwsSolutionsChecks['validateScope']>;
  const bundles = new Map<string, string>();

  beforeAll(() => {
    delete process.env.CDK_DEFAULT_ACCOUNT;
    outdir = mkdtempSync(join(tmpdir(), 'infra-triggers-'));
    // With an SES sender, so CustomMessage (which needs EmailSendingAccount DEVELOPER) is attached too.
    const built = buildApp({
      context: { ...contexts.zone, emailFrom: 'no-reply@example.com' },
      outdir,
      nag: false,
    });
    built.app.synth();
    template = Template.fromStack(built.stack);
    nag = new AwsSolutionsChecks(built.app).validateScope(built.app);
    for (const dir of readdirSync(outdir)) {
      const file = join(outdir, dir, 'index.js');
      if (dir.startsWith('asset.') && statSync(join(outdir, dir)).isDirectory())
        try {
          bundles.set(dir.slice('asset.'.length), readFileSync(file, 'utf8'));
        } catch {}
    }
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  const triggerFunctions = () =>
    resourcesOf(template, 'AWS::Lambda::Function').filter(([, p]) =>
      String(p.Description ?? '').startsWith('Cognito '),
    );

  it('attaches the four functions, pre-token generation as V2_0', () => {
    const [[, pool]] = resourcesOf(template, 'AWS::Cognito::UserPool') as [[string, Props]];
    const config = pool.LambdaConfig as Props;
    expect(Object.keys(config).sort()).toEqual(
      ['CustomMessage', 'PostConfirmation', 'PreSignUp', 'PreTokenGenerationConfig'].sort(),
    );
    expect((config.PreTokenGenerationConfig as Props).LambdaVersion).toBe('V2_0');
    expect(pool.EmailConfiguration).toMatchObject({ EmailSendingAccount: 'DEVELOPER' });
    const fns = triggerFunctions();
    expect(fns).toHaveLength(4);
    for (const [, p] of fns)
      expect(p).toMatchObject({ Runtime: 'nodejs24.x', Timeout: 5, Architectures: ['arm64'] });
    // Cognito may invoke each, and only from this pool.
    expect(
      resourcesOf(template, 'AWS::Lambda::Permission').filter(
        ([, p]) => p.Principal === 'cognito-idp.amazonaws.com',
      ),
    ).toHaveLength(4);
  });

  it('bundles the very files the local IdP runs (functions/functions.json)', () => {
    // The map npm start hands the IdP (scripts/start.ts → startStack's --functions) is this one.
    expect(projectFunctionsFile).toBe(join(functionsDir, 'functions.json'));
    const local = loadFunctionMap(projectFunctionsFile);
    const entries = functionEntries();
    expect(Object.keys(entries).sort()).toEqual([...local.keys()].sort());
    for (const [name, e] of Object.entries(entries))
      expect(local.get(name)).toEqual({ module: `${e.entry}#${e.handler}` });
    for (const [id, p] of triggerFunctions()) {
      const key = (p.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
      const bundle = bundles.get(key);
      expect(bundle, `bundle of ${id}`).toBeDefined();
      const name = Object.keys(markers).find((n) => bundle!.includes(markers[n]!));
      expect(name, `${id} bundles one of functions/src`).toBeDefined();
      expect(String(p.Description)).toContain(entries[name!]!.entry.slice(functionsDir.length + 1));
    }
  });

  it('gives each function only its own logs; the database ones the DATABASE_URL secret and VPC interfaces', () => {
    const policies = resourcesOf(template, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('Triggers'));
    expect(policies.length).toBe(4);
    for (const [id, p] of policies) {
      const statements = (p.PolicyDocument as { Statement: Array<{ Action: string | string[] }> }).Statement;
      const actions = statements.flatMap((s) => [s.Action].flat()).sort();
      const db = /PostConfirmation|PreTokenGeneration/.test(id);
      const expected = ['logs:CreateLogStream', 'logs:PutLogEvents'];
      if (db)
        expected.push(
          'ec2:AssignPrivateIpAddresses',
          'ec2:CreateNetworkInterface',
          'ec2:DeleteNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:UnassignPrivateIpAddresses',
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
        );
      expect(actions, id).toEqual(expected.sort());
    }
    const roles = resourcesOf(template, 'AWS::IAM::Role').filter(([id]) => id.startsWith('Triggers'));
    for (const [, r] of roles) expect(r.ManagedPolicyArns).toBeUndefined();
  });

  it('is cdk-nag clean', () => {
    const own = nag.violations.filter((v) =>
      v.violatingResources.some((r) => (r.locations ?? []).some((l) => l.includes('/Triggers/'))),
    );
    expect(own.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.locations).join(',')}`)).toEqual(
      [],
    );
  });

  it('a pool without SES leaves CustomMessage off (Cognito would refuse its e-mails)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infra-triggers-nose-'));
    try {
      const built = buildApp({
        context: { ...contexts.zone, 'aws:cdk:bundling-stacks': [] },
        outdir: dir,
        nag: false,
      });
      const t = Template.fromStack(built.stack);
      const [[, pool]] = resourcesOf(t, 'AWS::Cognito::UserPool') as [[string, Props]];
      expect(Object.keys(pool.LambdaConfig as Props).sort()).toEqual([
        'PostConfirmation',
        'PreSignUp',
        'PreTokenGenerationConfig',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the triggers' Node (ADR 0225)", () => {
  it('stays on nodejs24.x only while aws-cdk-lib names no newer Lambda Node runtime', () => {
    // The images run Node 26; Lambda had no nodejs26.x when they moved. When a CDK update names one,
    // this fails: move runtime and bundling target in infra/src/auth/triggers.ts, and the docs.
    const newer = Object.keys(Runtime).filter((k) => Number(/^NODEJS_(\d+)_X$/.exec(k)?.[1] ?? 0) > 24);
    expect(newer, 'aws-cdk-lib now has a newer Node runtime for Lambda').toEqual([]);
  });
});
