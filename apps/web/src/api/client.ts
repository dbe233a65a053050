import type {
  AdminCreateUserBody,
  AdminUser,
  AdminUserListQuery,
  AdminUserPage,
  Attachment,
  AttachmentList,
  AttachmentUpload,
  AttachmentUploadRequest,
  AuditEventPage,
  CompleteAttachment,
  CreateItem,
  DeviceList,
  GroupList,
  Item,
  ItemPage,
  Me,
  UpdateItem,
} from '@app/api-contract';
import { ApiError, problemFrom } from './problem.ts';

export interface ApiClientOptions {
  /** API base URL without trailing slash; '' for same origin. */
  baseUrl: string;
  /** The current access token (renewed if expired), or null when signed out. */
  accessToken(): Promise<string | null>;
  /** Forces new tokens after a 401; resolves null when that is refused. */
  refresh(): Promise<string | null>;
  /** Called when the API still refuses us after one refresh: the session is over. */
  onUnauthorized(): void | Promise<void>;
  fetch?: typeof fetch;
  /** The attachments' file server (config.json `filesUrl`); absent: no attachments here. */
  filesUrl?: string;
}

type Query = Record<string, string | number | undefined | null>;

/**
 * Calls the API with `Authorization: Bearer <access token>`. A 401 triggers one refresh and one
 * retry; a second 401 (or a refused refresh) ends the session. Errors are ApiErrors with the
 * problem+json body attached.
 */
export class ApiClient {
  private readonly fetchImpl: typeof fetch;
  constructor(private readonly opts: ApiClientOptions) {
    this.fetchImpl = opts.fetch ?? ((...args) => fetch(...args));
  }

  /** Whether this deployment has item attachments (a file server is configured). */
  get attachmentsOn(): boolean {
    return Boolean(this.opts.filesUrl);
  }

  async request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const url = this.url(path, query);
    const send = (token: string) =>
      this.fetchImpl(url, {
        method,
        headers: {
          accept: 'application/json, application/problem+json',
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    const token = await this.opts.accessToken();
    if (!token) return this.unauthorized();
    let res = await this.network(() => send(token));
    if (res.status === 401) {
      const renewed = await this.opts.refresh();
      if (!renewed) return this.unauthorized();
      res = await this.network(() => send(renewed));
      if (res.status === 401) return this.unauthorized();
    }
    if (!res.ok) throw await problemFrom(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  private async network(call: () => Promise<Response>): Promise<Response> {
    try {
      return await call();
    } catch {
      throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
    }
  }

  private async unauthorized(): Promise<never> {
    await this.opts.onUnauthorized();
    throw new ApiError(401, 'Your session has ended. Please sign in again.');
  }

  private url(path: string, query?: Query): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {}))
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    const qs = params.toString();
    return `${this.opts.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  /**
   * Signs the user out everywhere through the API (`POST /api/v1/auth/sign-out-everywhere`): it
   * refuses this user's current tokens from now on and calls GlobalSignOut at Cognito. 204, or 503
   * when Cognito could not be reached.
   */
  signOutEverywhere() {
    return this.request<void>('POST', '/api/v1/auth/sign-out-everywhere');
  }
  /**
   * Signs this session out in the API (`POST /api/v1/auth/sign-out`, ADR 0070): it refuses this
   * token and every token of the same sign-in from now on. Called while signing out, so it uses
   * the given token as is: no refresh, no retry, and a 401 does not end the session. Resolves on
   * 204; rejects with an ApiError otherwise (status 0 when unreachable or aborted).
   */
  async signOutSession(accessToken: string, signal?: AbortSignal): Promise<void> {
    const res = await this.network(() =>
      this.fetchImpl(this.url('/api/v1/auth/sign-out'), {
        method: 'POST',
        headers: {
          accept: 'application/json, application/problem+json',
          authorization: `Bearer ${accessToken}`,
        },
        ...(signal ? { signal } : {}),
      }),
    );
    if (!res.ok) throw await problemFrom(res);
  }
  me() {
    return this.request<Me>('GET', '/api/v1/users/me');
  }
  /**
   * Deletes the signed-in account through the API (`DELETE /api/v1/users/me`, ADR 0150): the sign-in
   * at Cognito, every token already issued (refused by the API at once) and the user's data. 204; 409
   * for the last enabled admin.
   */
  deleteMe() {
    return this.request<void>('DELETE', '/api/v1/users/me');
  }
  /** My devices from the IdP's device tracking (ADR 0167), most recently used first; empty when it is off. */
  myDevices() {
    return this.request<DeviceList>('GET', '/api/v1/users/me/devices');
  }
  /** "Sign out this one": forgets the device; the API refuses every token issued on it at once (204; 404). */
  signOutDevice(deviceKey: string) {
    return this.request<void>('DELETE', `/api/v1/users/me/devices/${encodeURIComponent(deviceKey)}`);
  }
  listItems(limit: number, offset: number) {
    return this.request<ItemPage>('GET', '/api/v1/items', undefined, { limit, offset });
  }
  createItem(input: CreateItem) {
    return this.request<Item>('POST', '/api/v1/items', input);
  }
  updateItem(id: string, patch: UpdateItem) {
    return this.request<Item>('PATCH', `/api/v1/items/${encodeURIComponent(id)}`, patch);
  }
  deleteItem(id: string) {
    return this.request<void>('DELETE', `/api/v1/items/${encodeURIComponent(id)}`);
  }
  /** The item's files, each with a presigned GET (ADR 0170). */
  listAttachments(itemId: string) {
    return this.request<AttachmentList>('GET', attachmentsPath(itemId));
  }
  /** A presigned PUT bound to this name, type and size; 415 for a type not allowed, 413 too big. */
  startUpload(itemId: string, file: AttachmentUploadRequest) {
    return this.request<AttachmentUpload>('POST', `${attachmentsPath(itemId)}/uploads`, file);
  }
  /** After the PUT: the API checks the stored object (422 when it is not what was declared). */
  completeUpload(itemId: string, done: CompleteAttachment) {
    return this.request<Attachment>('POST', attachmentsPath(itemId), done);
  }
  deleteAttachment(itemId: string, attachmentId: string) {
    return this.request<void>('DELETE', `${attachmentsPath(itemId)}/${encodeURIComponent(attachmentId)}`);
  }
  adminUsers(query: Partial<AdminUserListQuery>) {
    return this.request<AdminUserPage>('GET', '/api/v1/admin/users', undefined, query);
  }
  /** Invites a user: Cognito mails a temporary password (201 with the user; 409 when the address is taken). */
  createUser(body: AdminCreateUserBody) {
    return this.request<AdminUser>('POST', '/api/v1/admin/users', body);
  }
  /** One admin action on a user (every one answers 204): see apps/api/src/routes/admin.ts. */
  adminAction(username: string, action: 'password/reset' | 'sign-out' | 'enable' | 'disable') {
    return this.request<void>('POST', `/api/v1/admin/users/${encodeURIComponent(username)}/${action}`);
  }
  deleteUser(username: string) {
    return this.request<void>('DELETE', `/api/v1/admin/users/${encodeURIComponent(username)}`);
  }
  auditEvents(query: { limit?: number; before?: string | null }) {
    return this.request<AuditEventPage>('GET', '/api/v1/admin/audit', undefined, query);
  }
  adminGroups() {
    return this.request<GroupList>('GET', '/api/v1/admin/groups');
  }
  userGroups(username: string) {
    return this.request<GroupList>('GET', `/api/v1/admin/users/${encodeURIComponent(username)}/groups`);
  }
  addToGroup(username: string, group: string) {
    return this.request<unknown>('POST', `/api/v1/admin/users/${encodeURIComponent(username)}/groups`, {
      group_name: group,
    });
  }
  removeFromGroup(username: string, group: string) {
    return this.request<unknown>(
      'DELETE',
      `/api/v1/admin/users/${encodeURIComponent(username)}/groups/${encodeURIComponent(group)}`,
    );
  }
}

const attachmentsPath = (itemId: string) => `/api/v1/items/${encodeURIComponent(itemId)}/attachments`;
