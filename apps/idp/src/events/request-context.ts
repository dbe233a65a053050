import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who sent the operation being answered: the peer address and User-Agent, for the auth-event
 * records (AdminListUserAuthEvents' EventContextData) without threading them through every call.
 */
export interface RequestInfo {
  ipAddress?: string | undefined;
  userAgent?: string | undefined;
}

const current = new AsyncLocalStorage<RequestInfo>();

export const withRequestInfo = <T>(info: RequestInfo, run: () => T): T => current.run(info, run);

export const requestInfo = (): RequestInfo => current.getStore() ?? {};
