import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createCognitoClient } from '../../src/services/cognito/client.ts';
import type { TestIdp } from './idp.ts';

export interface CountedCognito {
  client: CognitoIdentityProviderClient;
  /** Command names in the order the API sent them (one entry per command, retries not counted). */
  calls: string[];
}

/**
 * The real AWS SDK client the API would make for this IdP, with a middleware that records every
 * command sent: what an observer of the API's upstream traffic (or its timing) could tell apart.
 */
export function countedCognito(idp: TestIdp): CountedCognito {
  const client = createCognitoClient({ region: idp.pool.region, endpoint: idp.url });
  const calls: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'countCognitoCalls' },
  );
  return { client, calls };
}
