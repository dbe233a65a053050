/**
 * The Terraform module wires the pool's triggers (ADR 0121): `terraform plan` with the deployed
 * functions' ARNs shows them in the pool's lambda_config (pre-token generation with its version),
 * one invoke permission per function for Cognito from this pool only, CustomMessage only with SES
 * mail, and a precondition that refuses a definition trigger left without a function. Plan only:
 * nothing is created, so the Lambda API that aws_lambda_permission calls on apply is not needed.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awsProviderMirror,
  moduleDir,
  moduleWithLocalProvider,
  terraformBinary,
  terraformEnv,
} from './terraform-support.ts';

const terraform = terraformBinary();
const mirror = awsProviderMirror();
if (!terraform || !mirror)
  console.log('SKIP terraform plan of the triggers: no terraform or no local hashicorp/aws provider mirror.');

const arn = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:items-${name}`;
const allArns = {
  pre_sign_up: arn('pre-sign-up'),
  custom_message: arn('custom-message'),
  post_confirmation: arn('post-confirmation'),
  pre_token_generation: arn('pre-token-generation'),
};
const hcl = (o: Record<string, string>) =>
  `{${Object.entries(o)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
const ses =
  '{from="Items <no-reply@example.com>",source_arn="arn:aws:ses:eu-west-1:123456789012:identity/example.com"}';

interface Change {
  address: string;
  type: string;
  change: { after: Record<string, unknown>; after_unknown: Record<string, unknown> };
}

describe.skipIf(!terraform || !mirror)('Terraform module: the pool triggers in a plan', () => {
  let dir: string;
  const tf = (...args: string[]) =>
    new Promise<{ status: number | null; out: string }>((resolve) => {
      const child = spawn('terraform', [...args, '-no-color'], { cwd: dir, env: terraformEnv });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      child.on('close', (status) => resolve({ status, out }));
    });
  /** `terraform plan` with these -var flags; the planned resource changes, or the failure's output. */
  async function plan(vars: string[]) {
    const result = await tf('plan', '-input=false', '-out=tfplan', ...vars);
    if (result.status !== 0) return { ok: false as const, out: result.out };
    const shown = await tf('show', '-json', 'tfplan');
    expect(shown.status, shown.out).toBe(0);
    const json = JSON.parse(shown.out.slice(shown.out.indexOf('{'))) as { resource_changes: Change[] };
    return { ok: true as const, changes: json.resource_changes };
  }

  beforeAll(async () => {
    // A caller's provider; plan of new resources asks AWS nothing (no endpoint answers here).
    dir = moduleWithLocalProvider('tf-triggers-', 'eu-west-1');
    const init = await tf('init', '-backend=false', '-input=false', `-plugin-dir=${mirror}`);
    expect(init.status, init.out).toBe(0);
  }, 300_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the definition names the four functions (generated tfvars)', () => {
    const vars = JSON.parse(readFileSync(join(moduleDir, 'pool.auto.tfvars.json'), 'utf8'));
    const functions = JSON.parse(readFileSync(join(moduleDir, '../../../functions/functions.json'), 'utf8'));
    expect(Object.keys(vars.triggers).sort()).toEqual(Object.keys(allArns).sort());
    // Each trigger names a function of functions/ — the handler CDK bundles and the local IdP runs.
    for (const name of Object.values(vars.triggers)) expect(Object.keys(functions)).toContain(name);
    expect(vars.pre_token_generation_version).toBe('V2_0');
  });

  it('with SES mail: all four in lambda_config, pre-token as V2_0, and an invoke permission each for this pool only', {
    timeout: 300_000,
  }, async () => {
    const planned = await plan(['-var', `trigger_arns=${hcl(allArns)}`, '-var', `ses_email=${ses}`]);
    expect(planned.ok, planned.ok ? '' : planned.out).toBe(true);
    if (!planned.ok) return;
    const pool = planned.changes.find((c) => c.address === 'aws_cognito_user_pool.this')!;
    const [config] = pool.change.after.lambda_config as Array<Record<string, unknown>>;
    expect(config).toMatchObject({
      pre_sign_up: allArns.pre_sign_up,
      custom_message: allArns.custom_message,
      post_confirmation: allArns.post_confirmation,
      pre_token_generation_config: [{ lambda_arn: allArns.pre_token_generation, lambda_version: 'V2_0' }],
    });
    // Nothing else is attached: no migration, custom auth or authentication triggers.
    for (const other of [
      'user_migration',
      'define_auth_challenge',
      'pre_authentication',
      'post_authentication',
    ])
      expect(config?.[other] ?? null).toBeNull();
    expect(pool.change.after.email_configuration).toMatchObject([{ email_sending_account: 'DEVELOPER' }]);
    const permissions = planned.changes.filter((c) => c.type === 'aws_lambda_permission');
    expect(permissions.map((p) => p.change.after.function_name).sort()).toEqual(
      Object.values(allArns).sort(),
    );
    for (const p of permissions) {
      expect(p.change.after).toMatchObject({
        action: 'lambda:InvokeFunction',
        principal: 'cognito-idp.amazonaws.com',
      });
      // The pool's ARN, known only once the pool exists: the permission is scoped to it.
      expect(p.change.after_unknown.source_arn).toBe(true);
    }
  });

  it('without SES mail CustomMessage is left off (Cognito would refuse its e-mails), with no permission for it', {
    timeout: 300_000,
  }, async () => {
    const planned = await plan(['-var', `trigger_arns=${hcl(allArns)}`]);
    expect(planned.ok, planned.ok ? '' : planned.out).toBe(true);
    if (!planned.ok) return;
    const pool = planned.changes.find((c) => c.address === 'aws_cognito_user_pool.this')!;
    const [config] = pool.change.after.lambda_config as Array<Record<string, unknown>>;
    expect(config?.custom_message ?? null).toBeNull();
    expect(config?.pre_sign_up).toBe(allArns.pre_sign_up);
    const permissions = planned.changes.filter((c) => c.type === 'aws_lambda_permission');
    expect(permissions.map((p) => p.change.after.function_name)).not.toContain(allArns.custom_message);
    expect(permissions).toHaveLength(3);
  });

  it('refuses a plan that leaves a definition trigger without its function', {
    timeout: 300_000,
  }, async () => {
    const { post_confirmation: _, ...missing } = allArns;
    const planned = await plan(['-var', `trigger_arns=${hcl(missing)}`, '-var', `ses_email=${ses}`]);
    expect(planned.ok).toBe(false);
    if (planned.ok) return;
    expect(planned.out.replace(/\s+/g, ' ')).toContain(
      "Every trigger of the pool definition (var.triggers) needs its function's ARN in var.trigger_arns.",
    );
  });
});
