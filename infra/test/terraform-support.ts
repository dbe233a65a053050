import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const moduleDir = fileURLToPath(new URL('../terraform/cognito/', import.meta.url));

/** No user CLI config (these machines point TF_CLI_CONFIG_FILE at a missing file), no prompts. */
export const terraformEnv = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1' };

export function terraformBinary(): string | undefined {
  const probe = spawnSync('terraform', ['version'], { encoding: 'utf8', env: terraformEnv });
  return probe.status === 0 ? 'terraform' : undefined;
}

/**
 * A local provider mirror holding hashicorp/aws, for an offline `terraform init` (these machines
 * have no access to the Terraform registry; CI initialises from the registry instead).
 */
export function awsProviderMirror(): string | undefined {
  return [process.env.TF_PLUGIN_DIR, '/opt/tf-plugins', join(homedir(), '.terraform.d', 'plugins')].find(
    (dir) => dir !== undefined && existsSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws')),
  );
}

/**
 * A temporary copy of the module (without its .terraform) plus the provider block its caller gives:
 * static local credentials and no AWS account, metadata or region look-ups; `endpoints` points
 * services at local servers. Returns the copy's directory.
 */
export function moduleWithLocalProvider(
  prefix: string,
  region: string,
  endpoints?: Record<string, string>,
): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(moduleDir, dir, { recursive: true, filter: (src) => !src.includes('.terraform') });
  const endpointsBlock = endpoints
    ? `  endpoints {\n${Object.entries(endpoints)
        .map(([service, url]) => `    ${service} = "${url}"\n`)
        .join('')}  }\n`
    : '';
  writeFileSync(
    join(dir, 'provider_local.tf'),
    `provider "aws" {
  region                      = "${region}"
  access_key                  = "local"
  secret_key                  = "local"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
${endpointsBlock}}
`,
  );
  return dir;
}
