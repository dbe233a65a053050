import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { database, withRetry } from './db.ts';

/**
 * PreTokenGeneration (V2_0): the user's plan from the API's database as the access token's `plan`
 * claim, which the API reads instead of querying per request. No row yet (or no database) means
 * the default plan, "free"; a database error fails the sign-in rather than issuing a wrong plan.
 */
export async function handler(
  event: PreTokenGenerationV2TriggerEvent,
): Promise<PreTokenGenerationV2TriggerEvent> {
  const sub = event.request.userAttributes.sub;
  const db = await database();
  let plan = 'free';
  if (db && sub) {
    const { rows } = await withRetry(() =>
      db.query<{ plan: string }>('select plan from users where sub = $1', [sub]),
    );
    plan = rows[0]?.plan ?? 'free';
  }
  event.response = {
    claimsAndScopeOverrideDetails: {
      ...event.response?.claimsAndScopeOverrideDetails,
      accessTokenGeneration: { claimsToAddOrOverride: { plan } },
    },
  };
  return event;
}
