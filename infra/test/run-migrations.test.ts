import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../docker/bundle.ts';

/**
 * .github/scripts/run-migrations.sh against a stand-in `aws` executable (AWS is unreachable here):
 * it answers the few calls the script makes from canned JSON and records every call, so the
 * script's own logic runs for real: the jq rewrite of the task definition, the run-task
 * arguments, and the exit-code check.
 */
const dir = mkdtempSync(join(tmpdir(), 'run-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const taskDefinition = {
  taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/migrate:3',
  family: 'migrate',
  revision: 3,
  status: 'ACTIVE',
  requiresAttributes: [{ name: 'x' }],
  compatibilities: ['FARGATE'],
  registeredAt: '2026-01-01T00:00:00Z',
  registeredBy: 'someone',
  executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  containerDefinitions: [{ name: 'migrate', image: 'repo:old', command: ['node', '/app/migrate.mjs'] }],
  cpu: '256',
  memory: '512',
};

function fakeAws(exitCode: number): string {
  const bin = mkdtempSync(join(dir, 'bin-'));
  const log = join(bin, 'calls.log');
  const script = `#!/usr/bin/env bash
echo "$*" >> ${JSON.stringify(log)}
case "$1 $2" in
  "cloudformation describe-stacks")
    case "$*" in
      *ClusterName*) echo cluster-1 ;;
      *MigrationTaskDefinitionArn*) echo ${taskDefinition.taskDefinitionArn} ;;
      *MigrationSubnets*) echo subnet-a,subnet-b ;;
      *MigrationSecurityGroup*) echo sg-1 ;;
    esac ;;
  "ecs describe-task-definition") echo '${JSON.stringify(taskDefinition)}' ;;
  "ecs register-task-definition")
    cp "\${4#file://}" ${JSON.stringify(join(bin, 'registered.json'))}
    echo arn:aws:ecs:eu-west-1:123456789012:task-definition/migrate:4 ;;
  "ecs run-task") echo arn:aws:ecs:eu-west-1:123456789012:task/cluster-1/abc ;;
  "ecs wait") ;;
  "ecs describe-tasks")
    case "$*" in *exitCode*) echo ${exitCode} ;; *) echo "Essential container in task exited" ;; esac ;;
  *) echo "unexpected aws call: $*" >&2; exit 2 ;;
esac
`;
  writeFileSync(join(bin, 'aws'), script);
  chmodSync(join(bin, 'aws'), 0o755);
  return bin;
}

function run(bin: string) {
  return spawnSync(
    'bash',
    [join(repoRoot, '.github', 'scripts', 'run-migrations.sh'), 'App-prod', 'repo:new-sha'],
    {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      encoding: 'utf8',
    },
  );
}

describe('.github/scripts/run-migrations.sh', () => {
  it('registers a revision with the new image, runs it in the private subnets and waits', () => {
    const bin = fakeAws(0);
    const result = run(bin);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const registered = JSON.parse(readFileSync(join(bin, 'registered.json'), 'utf8'));
    expect(registered.containerDefinitions[0].image).toBe('repo:new-sha');
    expect(registered.containerDefinitions[0].command).toEqual(['node', '/app/migrate.mjs']);
    for (const field of [
      'taskDefinitionArn',
      'revision',
      'status',
      'requiresAttributes',
      'compatibilities',
      'registeredAt',
      'registeredBy',
    ]) {
      expect(registered).not.toHaveProperty(field);
    }
    expect(registered.executionRoleArn).toBe(taskDefinition.executionRoleArn);
    const calls = readFileSync(join(bin, 'calls.log'), 'utf8');
    expect(calls).toMatch(
      /ecs run-task --cluster cluster-1 --task-definition \S+migrate:4 --launch-type FARGATE/,
    );
    expect(calls).toContain('subnets=[subnet-a,subnet-b],securityGroups=[sg-1],assignPublicIp=DISABLED');
    expect(calls).toMatch(/ecs wait tasks-stopped --cluster cluster-1 --tasks \S+task\/cluster-1\/abc/);
  });

  it('fails the deploy when the migration container exits non-zero', () => {
    const result = run(fakeAws(1));
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/exit code 1/);
  });
});
