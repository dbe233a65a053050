import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definition } from '@app/pool-definition';
import { describe, expect, it } from 'vitest';
import { apiEnvVars, localOnlyEnvVars } from '../src/service/api-env.ts';
import { tfvarsFromDefinition } from '../src/terraform/tfvars.ts';
import { awsProviderMirror, moduleDir, terraformBinary } from './terraform-support.ts';

const read = (file: string) => readFileSync(join(moduleDir, file), 'utf8');

/** `output "NAME" {` blocks, in file order. */
function outputNames(hcl: string): string[] {
  return [...hcl.matchAll(/^output\s+"([^"]+)"\s*\{/gm)].map((m) => m[1] ?? '');
}

describe('Terraform Cognito module', () => {
  it('pool.auto.tfvars.json is exactly what the pool definition generates (no drift)', () => {
    const committed = JSON.parse(read('pool.auto.tfvars.json'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(tfvarsFromDefinition(definition))));
  });

  it('the generated inputs change when the definition changes (the check can fail)', () => {
    const changed = tfvarsFromDefinition({
      ...definition,
      passwordPolicy: { ...definition.passwordPolicy, minimumLength: 20 },
    });
    expect(JSON.parse(read('pool.auto.tfvars.json'))).not.toEqual(JSON.parse(JSON.stringify(changed)));
  });

  it('keeps the original e-mail until a new one is verified (user_attribute_update_settings)', () => {
    const vars = JSON.parse(read('pool.auto.tfvars.json'));
    expect(vars.attributes_require_verification_before_update).toEqual(['email']);
    expect(read('main.tf')).toMatch(
      /dynamic "user_attribute_update_settings" \{[\s\S]*?attributes_require_verification_before_update = var\.attributes_require_verification_before_update/,
    );
  });

  it('turns on the definition’s MFA factors (software_token_mfa_configuration)', () => {
    const vars = JSON.parse(read('pool.auto.tfvars.json'));
    expect(vars.mfa_configuration).toBe(definition.mfaConfiguration);
    expect(vars.mfa_factors).toEqual(definition.mfaFactors);
    expect(read('main.tf')).toMatch(
      /dynamic "software_token_mfa_configuration" \{\s*for_each = contains\(var\.mfa_factors, "SOFTWARE_TOKEN_MFA"\)/,
    );
  });

  it('configures passkeys when the definition has them or WEB_AUTHN is a first factor (ADR 0142)', () => {
    const vars = JSON.parse(read('pool.auto.tfvars.json'));
    expect(vars.passkey_user_verification).toBe(definition.passkeys?.userVerification);
    expect(vars).not.toHaveProperty('passkey_relying_party_id');
    const { passkeys: _, ...withoutPasskeys } = definition;
    expect(tfvarsFromDefinition(withoutPasskeys).passkey_user_verification).toBeNull();
    expect(read('main.tf')).toMatch(
      /dynamic "web_authn_configuration" \{\s*for_each = var\.passkey_user_verification != null \|\| contains\(var\.allowed_first_auth_factors, "WEB_AUTHN"\)[\s\S]*?relying_party_id\s*= var\.passkey_relying_party_id/,
    );
  });

  it('declares a variable for every generated input', () => {
    const declared = [...read('variables.tf').matchAll(/^variable\s+"([^"]+)"/gm)].map((m) => m[1]);
    for (const key of Object.keys(tfvarsFromDefinition(definition))) expect(declared).toContain(key);
  });

  it('outputs map one-to-one onto the API COGNITO_* environment variables', () => {
    const apiCognito = apiEnvVars.filter((n) => n.startsWith('COGNITO_') && !localOnlyEnvVars.includes(n));
    const outputs = outputNames(read('outputs.tf')).filter((n) => /^[A-Z_]+$/.test(n));
    expect([...outputs].sort()).toEqual([...apiCognito].sort());
  });

  it('marks the client secret output sensitive', () => {
    const block = read('outputs.tf').match(/output "COGNITO_AUTH_CLIENT_SECRET" \{[\s\S]*?\n\}/)?.[0] ?? '';
    expect(block).toMatch(/sensitive\s*=\s*true/);
  });

  it('keeps user existence errors hidden and revocation on for every client in the inputs', () => {
    for (const c of Object.values(tfvarsFromDefinition(definition).clients)) {
      expect(c.prevent_user_existence_errors).toBe('ENABLED');
      expect(c.enable_token_revocation).toBe(true);
    }
    expect(read('main.tf')).toMatch(
      /prevent_user_existence_errors\s*=\s*each\.value\.prevent_user_existence_errors/,
    );
  });

  const terraform = terraformBinary();
  if (!terraform) {
    console.log(
      'SKIP terraform fmt -check: no `terraform` binary on PATH (it is not in Debian or npm); CI runs it.',
    );
  }

  it.skipIf(!terraform)('is in canonical format (terraform fmt -check)', () => {
    const result = spawnSync('terraform', ['fmt', '-check', '-diff', moduleDir], {
      encoding: 'utf8',
      env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' },
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readdirSync(moduleDir).filter((f) => f.endsWith('.tf')).length).toBe(4);
  });

  it.skipIf(!terraform)('terraform fmt -check does reject badly formatted HCL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-fmt-'));
    try {
      writeFileSync(join(dir, 'bad.tf'), 'variable "x" {\ntype=string\n    default   =  "a"\n}\n');
      expect(() =>
        execFileSync('terraform', ['fmt', '-check', dir], {
          stdio: 'pipe',
          env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' },
        }),
      ).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const mirror = awsProviderMirror();
  if (terraform && !mirror) {
    console.log(
      'SKIP terraform validate: no local hashicorp/aws provider mirror (TF_PLUGIN_DIR); CI runs it.',
    );
  }

  it.skipIf(!terraform || !mirror)(
    'passes terraform validate (offline init from the local provider), and validate can fail',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'tf-validate-'));
      const env = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1' };
      const tf = (...args: string[]) => spawnSync('terraform', args, { cwd: dir, encoding: 'utf8', env });
      try {
        cpSync(moduleDir, dir, { recursive: true, filter: (src) => !src.includes('.terraform') });
        const init = tf('init', '-backend=false', '-input=false', `-plugin-dir=${mirror}`);
        expect(init.status, init.stdout + init.stderr).toBe(0);
        const valid = JSON.parse(tf('validate', '-json').stdout) as {
          valid: boolean;
          diagnostics: unknown[];
        };
        expect(valid.diagnostics).toEqual([]);
        expect(valid.valid).toBe(true);
        // The same initialised module with an attribute the provider does not have must fail.
        writeFileSync(
          join(dir, 'broken.tf'),
          'resource "aws_cognito_user_pool_domain" "broken" {\n  domain = "x"\n  user_pool_id = "y"\n  no_such_attribute = true\n}\n',
        );
        const broken = JSON.parse(tf('validate', '-json').stdout) as { valid: boolean };
        expect(broken.valid).toBe(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
