import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
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
