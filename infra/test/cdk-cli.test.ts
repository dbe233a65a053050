import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const infraDir = fileURLToPath(new URL('..', import.meta.url));
const cdkCli = join(infraDir, 'node_modules', '.bin', 'cdk');

describe('cdk synth through the CDK CLI (cdk.json), offline', () => {
  it('synthesizes every stack with no AWS credentials and no lookups', () => {
    const out = mkdtempSync(join(tmpdir(), 'cdk-cli-'));
    try {
      // No credentials, no instance metadata, no notices: anything that needed the network fails.
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env))
        if (v !== undefined && !k.startsWith('AWS_') && !k.startsWith('CDK_')) env[k] = v;
      // The pinned CLI itself (what `npx cdk` resolves to, without npx's start-up), which runs the
      // app command of cdk.json. aws-cdk-lib's built-in CloudFormation validator is off here
      // (CDK_VALIDATION=false, ~40% of this synth's CPU): stack.test.ts requires zero violations
      // from the same validator in-process, where it runs anyway.
      const run = spawnSync(
        cdkCli,
        // The plain-HTTP trial: the one configuration whose warning must reach the person running it.
        ['synth', '--quiet', '--no-notices', '--no-version-reporting', '--lookups=false', '-o', out].concat([
          '-c',
          'allowHttpOrigin=true',
        ]),
        {
          cwd: infraDir,
          env: { ...env, AWS_EC2_METADATA_DISABLED: 'true', CI: 'true', CDK_VALIDATION: 'false' },
          encoding: 'utf8',
          timeout: 170_000,
        },
      );
      // What cdk.json runs is the plain node + tsx command (no npx per synth).
      expect(JSON.parse(readFileSync(join(infraDir, 'cdk.json'), 'utf8')).app).toBe(
        'node --import tsx bin/app.ts',
      );
      expect(run.status, run.stdout + run.stderr).toBe(0);
      for (const stack of ['App-prod', 'Registry-prod', 'EdgeWaf-prod']) {
        expect(existsSync(join(out, `${stack}.template.json`)), stack).toBe(true);
      }
      const template = JSON.parse(readFileSync(join(out, 'App-prod.template.json'), 'utf8'));
      expect(
        Object.values(template.Resources).some(
          (r) => (r as { Type: string }).Type === 'AWS::Cognito::UserPool',
        ),
      ).toBe(true);
      // The HTTP-only listener warning reaches the person running synth.
      expect(run.stdout + run.stderr).toMatch(/plain HTTP/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);
});
