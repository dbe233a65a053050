import { definition as poolDefinition, type UserPoolDefinition } from '@app/pool-definition';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AppStack } from './app-stack.ts';
import { readConfig } from './config.ts';
import { EdgeWafStack } from './edge-waf-stack.ts';
import { suppressAppStackFindings, suppressEdgeWafFindings } from './nag/suppressions.ts';
import { RegistryStack } from './registry-stack.ts';

export interface BuildOptions {
  /** Context values (as `-c key=value` would give them); tests pass them directly. */
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
  readonly definition?: UserPoolDefinition;
  /** Run cdk-nag's AwsSolutions pack (on by default: a finding fails `cdk synth`). */
  readonly nag?: boolean;
}

/**
 * Builds the CDK app. Stacks carry a region but no account unless CDK_DEFAULT_ACCOUNT is
 * set (the CLI sets it when credentials exist), so `cdk synth` needs no credentials and no lookups.
 */
export function buildApp(options: BuildOptions = {}) {
  const app = new App({ outdir: options.outdir, context: options.context });
  const config = readConfig((key) => app.node.tryGetContext(key));
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const env = { ...(account ? { account } : {}), region: config.region };
  const registry = new RegistryStack(app, `Registry-${config.envName}`, {
    env,
    description: `cognito-stack: API image repository for "${config.envName}"`,
  });
  const stack = new AppStack(app, `App-${config.envName}`, {
    config,
    repository: registry.repository,
    definition: options.definition ?? poolDefinition,
    description: `cognito-stack: API, web, Cognito and data for "${config.envName}"`,
    env,
  });
  const edgeWaf = new EdgeWafStack(app, `EdgeWaf-${config.envName}`, {
    envName: config.envName,
    rateLimitPer5Min: config.wafRateLimitPer5Min,
    description: 'CLOUDFRONT-scope WAF for the web distribution (us-east-1)',
    env: { ...(account ? { account } : {}), region: 'us-east-1' },
  });
  Tags.of(app).add('app', 'cognito-stack');
  Tags.of(app).add('env', config.envName);
  suppressAppStackFindings(stack, config);
  suppressEdgeWafFindings(edgeWaf);
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, registry, edgeWaf, config };
}
