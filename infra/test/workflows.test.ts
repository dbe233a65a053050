import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../docker/bundle.ts';
import { imageNodeVersion } from './image-node.ts';

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; name?: string; if?: string };
type Job = {
  permissions?: Record<string, string> | string;
  services?: Record<string, { image: string; ports?: string[] }>;
  steps: Step[];
  needs?: string | string[];
};
type Workflow = {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
};

const text = (name: string) => readFileSync(join(repoRoot, '.github', 'workflows', name), 'utf8');
const load = (name: string) => parse(text(name)) as Workflow;
const workflows = ['ci.yml', 'deploy.yml'] as const;
const runs = (w: Workflow) =>
  Object.values(w.jobs)
    .flatMap((j) => j.steps.map((s) => s.run ?? ''))
    .join('\n');
const usesAws = (job: Job) =>
  job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));

describe.each(workflows)('.github/workflows/%s', (name) => {
  const wf = load(name);

  it('defaults to read-only permissions at the top level', () => {
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  it('grants id-token: write only to jobs that assume an AWS role, and nothing else writable', () => {
    for (const [jobName, job] of Object.entries(wf.jobs)) {
      const perms = typeof job.permissions === 'object' ? job.permissions : {};
      expect(perms['id-token'] === 'write', `${jobName} id-token`).toBe(usesAws(job));
      for (const [scope, level] of Object.entries(perms)) {
        if (scope !== 'id-token') expect(level, `${jobName} ${scope}`).toBe('read');
      }
      expect(job.permissions, jobName).not.toBe('write-all');
    }
  });

  it('pins every action to an exact version or commit', () => {
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps) {
        if (!step.uses) continue;
        expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
      }
    }
  });

  it('uses no stored AWS keys', () => {
    expect(text(name)).not.toMatch(
      /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/i,
    );
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps.filter((s) =>
        s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
      )) {
        expect(step.with?.['role-to-assume']).toBeTruthy();
        expect(String(step.with?.['role-to-assume'])).not.toMatch(/secrets\./);
      }
    }
  });
});

describe('ci.yml', () => {
  const wf = load('ci.yml');

  it('runs on pull requests and on pushes to main', () => {
    expect(wf.on).toHaveProperty('pull_request');
    expect((wf.on.push as { branches: string[] }).branches).toEqual(['main']);
  });

  it('installs, lints, type-checks and tests with the root scripts', () => {
    const all = runs(wf);
    for (const cmd of ['npm ci', 'npm run lint', 'npm run typecheck', 'npm test']) expect(all).toContain(cmd);
  });

  it('tests against Postgres and Redis service containers on loopback, with Debian Chromium', () => {
    const test = wf.jobs.test;
    expect(test?.services?.postgres?.image).toMatch(/^postgres:/);
    expect(test?.services?.postgres?.ports).toContain('5432:5432');
    expect(test?.services?.redis?.image).toMatch(/^redis:/);
    expect(test?.services?.redis?.ports).toContain('6379:6379');
    const run = test?.steps.map((s) => s.run ?? '').join('\n') ?? '';
    expect(run).toMatch(/--network host/);
    expect(run).toMatch(/node:20-bookworm@sha256:/);
    expect(run).toMatch(/apt-get install .*chromium/);
    // npm test includes the production rehearsal and the Redis Cluster test, which start their
    // own servers from Debian's binaries; the packages' own services must not take 5432/6379.
    for (const pkg of ['postgresql', 'redis-server', 'openssl'])
      expect(run).toMatch(new RegExp(`apt-get install [^\\n]*\\b${pkg}\\b`));
    expect(run).toMatch(/policy-rc\.d/);
  });

  it('synthesizes the CDK app and checks Terraform formatting and validity', () => {
    const all = runs(wf);
    expect(all).toMatch(/cdk synth/);
    expect(all).toMatch(/terraform fmt -check/);
    expect(all).toMatch(/terraform init -backend=false .*&& terraform validate/);
  });

  it('lints and type-checks on the machines’ Node 20 and on the LTS the images run', () => {
    const job = wf.jobs['lint-typecheck'] as Job & { strategy: { matrix: { node: number[] } } };
    expect(job.strategy.matrix.node).toEqual([20, 26]);
  });

  it('runs the production rehearsal on the Node the images run (26), with Debian Postgres and Redis', () => {
    const run = wf.jobs.rehearsal?.steps.map((s) => s.run ?? '').join('\n') ?? '';
    expect(run).toMatch(/node:26-bookworm@sha256:/);
    expect(run).toMatch(/apt-get install .*postgresql.*redis-server.*openssl/);
    expect(run).toMatch(/npx vitest run infra\/test\/rehearsal\.test\.ts/);
    // The Dockerfiles' runtime is the same major version.
    const dockerfile = readFileSync(join(repoRoot, 'docker', 'api.Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:26-/m);
  });

  it('its rehearsal image states the same Node version as the Dockerfiles (no second Node fetched in CI)', () => {
    const pins = readFileSync(join(repoRoot, '.github', 'ci-images', 'ci.Dockerfile'), 'utf8');
    const rehearsal = pins.match(
      /^# node:(\d+)-bookworm \(([\d.]+)\)[^\n]*\nFROM node:\1-bookworm@\S+ AS rehearsal$/m,
    );
    expect(rehearsal?.[2]).toBe(imageNodeVersion());
  });

  it('builds all three images', () => {
    const images = wf.jobs.images as Job & { strategy: { matrix: { image: string[] } } };
    expect([...images.strategy.matrix.image].sort()).toEqual(['api', 'idp', 'web']);
  });
});

describe('deploy.yml', () => {
  const wf = load('deploy.yml');
  const deploy = wf.jobs.deploy;
  const steps = deploy?.steps ?? [];
  const all = runs(wf);
  const script = readFileSync(join(repoRoot, '.github', 'scripts', 'run-migrations.sh'), 'utf8');

  it('runs on main and on version tags', () => {
    const push = wf.on.push as { branches: string[]; tags: string[] };
    expect(push.branches).toEqual(['main']);
    expect(push.tags).toEqual(['v*']);
  });

  it('builds and pushes the API image to ECR, tagged with the commit', () => {
    const build = steps.find((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(build?.with?.push).toBe(true);
    expect(build?.with?.file).toBe('docker/api.Dockerfile');
    expect(String(build?.with?.tags)).toMatch(/:\$\{\{ github\.sha \}\}$/);
    expect(steps.some((s) => s.uses?.startsWith('aws-actions/amazon-ecr-login@'))).toBe(true);
  });

  it('runs migrations as a one-off ECS task and waits for it to succeed', () => {
    expect(all).toContain('run-migrations.sh');
    expect(script).toMatch(/aws ecs run-task/);
    expect(script).toMatch(/aws ecs wait tasks-stopped/);
    expect(script).toMatch(/exitCode/);
    expect(script).toMatch(/set -euo pipefail/);
  });

  it('migrates before the new task definition is deployed when the stack exists', () => {
    const index = (pred: (s: Step) => boolean) => steps.findIndex(pred);
    const migrateBefore = index(
      (s) => (s.run ?? '').includes('run-migrations.sh') && s.if?.includes("== 'true'") === true,
    );
    const appDeploy = index((s) => /cdk deploy "App-/.test(s.run ?? ''));
    expect(migrateBefore).toBeGreaterThan(-1);
    expect(migrateBefore).toBeLessThan(appDeploy);
  });

  it('updates the ECS service and waits for stability', () => {
    expect(all).toMatch(/imageTag=\$GITHUB_SHA/);
    expect(all).toMatch(/aws ecs wait services-stable/);
  });

  it('publishes the SPA to S3 without touching config.json, then invalidates CloudFront', () => {
    expect(all).toMatch(/aws s3 sync web-dist .*--exclude "config\.json"/s);
    expect(all).toMatch(/aws cloudfront create-invalidation/);
  });

  it('keeps the previous build’s hashed chunks (open tabs still load their lazy routes)', () => {
    // One shell command per line once backslash continuations are joined.
    const commands = all.replace(/\\\n\s*/g, ' ').split('\n');
    const assetSync = commands.find((c) => /aws s3 sync web-dist\/assets/.test(c));
    expect(assetSync).toBeTruthy();
    expect(assetSync).not.toMatch(/--delete/);
  });

  it('builds and deploys on the current Node LTS (26)', () => {
    const setups = Object.values(wf.jobs).flatMap((job) =>
      job.steps.filter((x) => x.uses?.startsWith('actions/setup-node@')),
    );
    expect(setups.length).toBeGreaterThan(0);
    for (const step of setups) expect(step.with?.['node-version']).toBe(26);
  });

  it('gives the web build no AWS access', () => {
    expect(usesAws(wf.jobs['build-web'] as Job)).toBe(false);
    expect(wf.jobs['build-web']?.permissions).toBeUndefined();
  });
});
