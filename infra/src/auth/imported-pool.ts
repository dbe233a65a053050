import type { UserPoolDefinition } from '@app/pool-definition';
import { Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** What the rest of the stack needs from a user pool, whether this stack owns it or not. */
export interface StackUserPool {
  readonly userPool: cognito.IUserPool;
  /** The confidential client's secret in Secrets Manager (COGNITO_AUTH_CLIENT_SECRET). */
  readonly backendClientSecret: secretsmanager.ISecret;
  readonly issuer: string;
  clientId(key: string): string;
  /** Whether the pool has this definition client (an imported pool may lack the CLI's). */
  hasClient(key: string): boolean;
  /** Client-credentials clients (COGNITO_MACHINE_CLIENT_IDS). */
  readonly machineClientIds: string[];
  /** Adds the deployed SPA's hosted-UI callback and sign-out URLs (from its base URLs) to the clients. */
  addHostedUiUrls(webUrls: string[]): void;
  /** The managed login's base URL when this stack owns the pool's domain; undefined otherwise. */
  readonly hostedUiUrl?: string;
  /** External providers the hosted-UI clients offer besides COGNITO (config.json's identityProviders). */
  readonly identityProviders?: string[];
}

export interface ImportedUserPoolProps {
  readonly definition: UserPoolDefinition;
  readonly userPoolId: string;
  readonly webClientId: string;
  readonly backendClientId: string;
  /** A Secrets Manager secret whose value is the backend client's secret (plain string). */
  readonly backendClientSecretArn: string;
  /** Terraform's COGNITO_MACHINE_CLIENT_IDS output; none by default. */
  readonly machineClientIds?: string[];
  /** Terraform's `cli_client_id` output: the command-line client (ADR 0197); none by default. */
  readonly cliClientId?: string;
  /** Terraform's `hosted_ui_domain` output; without it the SPA offers no managed login. */
  readonly hostedUiUrl?: string;
  /** Terraform's `identity_providers` output: the providers its hosted-UI clients offer. */
  readonly identityProviders?: string[];
}

/**
 * A pool made elsewhere — the Terraform module in infra/terraform/cognito — used as is: the stack
 * creates no Cognito resource, and the clients' callback URLs stay Terraform's to set.
 */
export class ImportedUserPool extends Construct implements StackUserPool {
  readonly userPool: cognito.IUserPool;
  readonly backendClientSecret: secretsmanager.ISecret;
  readonly machineClientIds: string[];
  readonly hostedUiUrl?: string;
  readonly identityProviders: string[];
  private readonly ids: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: ImportedUserPoolProps) {
    super(scope, id);
    this.userPool = cognito.UserPool.fromUserPoolId(this, 'Pool', props.userPoolId);
    this.backendClientSecret = secretsmanager.Secret.fromSecretCompleteArn(
      this,
      'BackendClientSecret',
      props.backendClientSecretArn,
    );
    this.machineClientIds = [...(props.machineClientIds ?? [])];
    if (props.hostedUiUrl) this.hostedUiUrl = props.hostedUiUrl;
    this.identityProviders = [...(props.identityProviders ?? [])];
    for (const c of props.definition.clients) {
      const id = c.nativeApp
        ? props.cliClientId
        : c.generateSecret
          ? props.backendClientId
          : props.webClientId;
      if (id) this.ids[c.key] = id;
    }
  }

  hasClient(key: string): boolean {
    return key in this.ids;
  }

  clientId(key: string): string {
    const id = this.ids[key];
    if (!id) throw new Error(`user pool has no client with key "${key}"`);
    return id;
  }

  get issuer(): string {
    return `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }

  addHostedUiUrls(_urls: string[]): void {
    // Terraform owns the clients: add the WebUrl output to its callback_urls (docs/deployment.md).
  }
}
