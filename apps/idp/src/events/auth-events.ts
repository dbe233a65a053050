import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.ts';
import type { AuthEventRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { epoch } from '../users/shape.ts';
import { requestInfo } from './request-context.ts';

/**
 * Records of sign-ins and account events for AdminListUserAuthEvents. Cognito keeps them only in
 * pools with threat protection (UserPoolAddOns AUDIT or ENFORCED); so does the IdP. The newest
 * `keep` per user are kept, newest first. Callers commit (each event rides on its operation's commit).
 */
const keep = 100;

export const recordsEvents = (pool: PoolRecord) => {
  const mode = pool.settings?.UserPoolAddOns?.AdvancedSecurityMode;
  return mode === 'AUDIT' || mode === 'ENFORCED';
};

export const passwordPassed: AuthEventRecord['challenges'] = [{ name: 'Password', response: 'Success' }];
export const passwordFailed: AuthEventRecord['challenges'] = [{ name: 'Password', response: 'Failure' }];

export function recordAuthEvent(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  event: Pick<AuthEventRecord, 'type' | 'response' | 'challenges'> & { deviceName?: string | undefined },
) {
  if (!recordsEvents(pool)) return;
  const info = requestInfo();
  const record: AuthEventRecord = {
    id: randomUUID(),
    seq: (user.authEvents?.[0]?.seq ?? 0) + 1,
    type: event.type,
    createdAt: ctx.clock(),
    response: event.response,
    challenges: event.challenges,
    ...(info.ipAddress ? { ipAddress: info.ipAddress } : {}),
    ...((event.deviceName ?? info.userAgent)
      ? { deviceName: (event.deviceName ?? info.userAgent)!.slice(0, 256) }
      : {}),
  };
  user.authEvents = [record, ...(user.authEvents ?? [])].slice(0, keep);
}

/** AuthEventType as AdminListUserAuthEvents returns it. */
export function authEventType(e: AuthEventRecord) {
  const context = {
    ...(e.ipAddress ? { IpAddress: e.ipAddress } : {}),
    ...(e.deviceName ? { DeviceName: e.deviceName } : {}),
  };
  return {
    EventId: e.id,
    EventType: e.type,
    CreationDate: epoch(e.createdAt),
    EventResponse: e.response,
    EventRisk: { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false },
    ChallengeResponses: e.challenges.map((c) => ({ ChallengeName: c.name, ChallengeResponse: c.response })),
    ...(Object.keys(context).length ? { EventContextData: context } : {}),
  };
}
