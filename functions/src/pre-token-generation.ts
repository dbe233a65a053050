import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { isTransientApiError, planThroughApi, provisioningTarget } from './api-provisioning.ts';
import { database, withRetry } from './db.ts';

/**
 * Where this environment keeps the plan: the database (DATABASE_URL, or the secret on AWS), else the
 * API's loopback endpoint (npm start with PGlite, ADR 0189). Null: no row yet, or neither configured.
 */
async function storedPlan(sub: string): Promise<string | null> {
  const db = await database();
  if (db) {
    const { rows } = await withRetry(() =>
      db.query<{ plan: string }>('select plan from users where sub = $1', [sub]),
    );
    return rows[0]?.plan ?? null;
  }
  const api = provisioningTarget();
  if (!api) return null;
  return withRetry(() => planThroughApi(api, sub), 3, 200, isTransientApiError);
}

/**
 * PreTokenGeneration (V2_0): the user's plan from the API's database as the access token's `plan`
 * claim, which the API reads instead of querying per request. No row yet (or nowhere to read it)
 * means the default plan, "free"; an error reading it fails the sign-in rather than issuing a wrong
 * plan.
 */
export async function handler(
  event: PreTokenGenerationV2TriggerEvent,
): Promise<PreTokenGenerationV2TriggerEvent> {
  const sub = event.request.userAttributes.sub;
  const plan = (sub ? await storedPlan(sub) : null) ?? 'free';
  event.response = {
    claimsAndScopeOverrideDetails: {
      ...event.response?.claimsAndScopeOverrideDetails,
      accessTokenGeneration: { claimsToAddOrOverride: { plan } },
    },
  };
  return event;
}
