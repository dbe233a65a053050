import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { isLoopbackUrl } from '../../config.ts';

export interface CognitoClientConfig {
  region: string;
  endpoint?: string | undefined;
}

/**
 * One SDK client per app. Credentials come from the default provider chain (task role on ECS),
 * except for a loopback endpoint — the local IdP — which gets static dummy credentials because it
 * cannot check SigV4 and there is no AWS account on a developer machine.
 */
export function createCognitoClient(config: CognitoClientConfig): CognitoIdentityProviderClient {
  const local = config.endpoint !== undefined && isLoopbackUrl(config.endpoint);
  return new CognitoIdentityProviderClient({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    // Sign-in is interactive: fail fast rather than hold the request for the SDK's long defaults.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3000, requestTimeout: 10_000 },
  });
}
