import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../docker/bundle.ts';
import { cognitoIamActions } from '../src/service/cognito-actions.ts';
import { onlyResource, resourcesOf, type Synth, synth } from './synth.ts';

const sdkModule = '@aws-sdk/client-cognito-identity-provider';
const apiSrc = join(repoRoot, 'apps', 'api', 'src');

/** Non-test TypeScript files under a folder. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, f));
}

/**
 * The API's shipped code: apps/api/src and the src of every workspace package it imports
 * (`@app/<name>`, bundled into the image with it), e.g. packages/cognito-srp's SRP sign-in.
 */
function apiCodeFiles(): string[] {
  const files = sourceFiles(apiSrc);
  const packages = new Set<string>();
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/from\s+'@app\/([\w-]+)/g)) packages.add(m[1] ?? '');
  }
  for (const name of packages) {
    const dir = join(repoRoot, 'packages', name, 'src');
    if (existsSync(dir)) files.push(...sourceFiles(dir));
  }
  return files;
}

/** Every `new XCommand(` in the API's shipped code, for commands imported from the Cognito SDK. */
function commandsTheApiSends(): string[] {
  const found = new Set<string>();
  for (const file of apiCodeFiles()) {
    const text = readFileSync(file, 'utf8');
    const imported = new Set<string>();
    for (const m of text.matchAll(
      /import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-cognito-identity-provider'/g,
    )) {
      for (const name of (m[1] ?? '').split(',')) imported.add(name.trim().replace(/^type\s+/, ''));
    }
    for (const m of text.matchAll(/new\s+(\w+Command)\s*\(/g)) {
      const name = m[1] ?? '';
      if (imported.has(name)) found.add(name.replace(/Command$/, ''));
    }
  }
  return [...found].sort();
}

/**
 * Commands in that code the API never sends, each with the reason and a check of it; every other
 * IAM-signed command must be in the task role. Nothing may be waived without a check below.
 */
const neverSentByTheApi: Record<string, string> = {
  AdminInitiateAuth: "srpSignIn's `admin` variant (packages/cognito-srp); the API calls the public pair",
  AdminRespondToAuthChallenge:
    "srpSignIn's `admin` variant (packages/cognito-srp); the API calls the public pair",
};

type Sdk = Record<string, new (input: object) => unknown> & {
  CognitoIdentityProviderClient: new (config: object) => { send(command: unknown): Promise<unknown> };
};

/**
 * Asks the API's own AWS SDK whether it signs an operation with IAM credentials (SigV4): the SDK's
 * service model marks public and token-authorized operations (SignUp, InitiateAuth, GetUser, ...)
 * as unsigned. The request is captured before it leaves the process.
 */
async function signedByIam(sdk: Sdk, operation: string): Promise<boolean> {
  let authorization: string | undefined;
  const client = new sdk.CognitoIdentityProviderClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        authorization = request.headers.authorization;
        throw new Error('captured');
      },
    },
  });
  const Command = sdk[`${operation}Command`];
  if (!Command) throw new Error(`the SDK has no ${operation}Command`);
  await client.send(new Command({})).catch(() => undefined);
  return authorization?.startsWith('AWS4-HMAC-SHA256') ?? false;
}

describe('ECS task role: exactly the Cognito operations the API signs with IAM', () => {
  let derived: string[];
  let s: Synth;
  beforeAll(async () => {
    const sdk = createRequire(join(repoRoot, 'apps', 'api', 'package.json'))(sdkModule) as Sdk;
    const sent = commandsTheApiSends();
    const signed = await Promise.all(sent.map((op) => signedByIam(sdk, op)));
    derived = sent.filter((op, i) => signed[i] && !(op in neverSentByTheApi)).sort();
    s = synth();
  });

  it('finds the API’s Cognito calls and tells public from IAM-authorized ones (the derivation works)', () => {
    const sent = commandsTheApiSends();
    expect(sent).toContain('SignUp');
    expect(sent).toContain('AdminDisableUser');
    expect(derived).toContain('AdminDisableUser');
    expect(derived).not.toContain('SignUp');
    expect(derived).not.toContain('InitiateAuth');
  });

  it('reads the workspace packages the API bundles too, and every waived command is really never sent', () => {
    const sent = commandsTheApiSends();
    // packages/cognito-srp's sign-in sends these: the scan reaches past apps/api/src.
    for (const op of Object.keys(neverSentByTheApi)) expect(sent, op).toContain(op);
    // The admin variant is chosen by an `admin` option no call in the API passes.
    const calls = sourceFiles(apiSrc).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/srpSignIn\(([^;]*?)\);/gs)].map((m) => m[1] ?? ''),
    );
    expect(calls.length).toBeGreaterThan(0);
    for (const args of calls) expect(args).not.toMatch(/admin/);
  });

  it('the stack’s list is the derived list', () => {
    expect([...cognitoIamActions].sort()).toEqual(derived);
  });

  it('the service task role grants exactly those actions, on the stack’s pool only', () => {
    const [poolId] = onlyResource(s.template, 'AWS::Cognito::UserPool');
    const statements = resourcesOf(s.template, 'AWS::IAM::Policy').flatMap(([, p]) =>
      (
        p.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown; Effect: string }[] }
      ).Statement.filter((st) => [st.Action].flat().some((a) => a.startsWith('cognito-idp:'))).map((st) => ({
        ...st,
        roles: p.Roles,
      })),
    );
    expect(statements).toHaveLength(1);
    const [st] = statements;
    expect([st?.Action].flat().sort()).toEqual(derived.map((a) => `cognito-idp:${a}`));
    expect(st?.Effect).toBe('Allow');
    expect(st?.Resource).toEqual({ 'Fn::GetAtt': [poolId, 'Arn'] });
    // On the service's task role (the one in its task definition), not the migration task's.
    const [, task] = resourcesOf(s.template, 'AWS::ECS::TaskDefinition').find(([, t]) =>
      JSON.stringify(t.ContainerDefinitions).includes('"Name":"api"'),
    ) ?? [undefined, {} as Record<string, unknown>];
    expect(JSON.stringify(st?.roles)).toContain(
      JSON.stringify(task.TaskRoleArn).match(/"(\w+TaskRole\w*)"/)?.[1],
    );
  });
});
