import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { expect } from 'vitest';
import type { TestIdp } from '../support/index.ts';

export interface MailMessage {
  id: string;
  to: string;
  kind: 'signup' | 'reset' | 'invitation';
  code: string;
  createdAt: string;
}

/** Messages for one address from the IdP's dev mailbox, newest first. */
export async function mailbox(idp: TestIdp, to: string): Promise<MailMessage[]> {
  const res = await fetch(`${idp.url}/_dev/mailbox?to=${encodeURIComponent(to)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: MailMessage[] }).messages;
}

export async function latestCode(idp: TestIdp, to: string, kind: MailMessage['kind']): Promise<string> {
  const message = (await mailbox(idp, to)).find((m) => m.kind === kind);
  if (!message) throw new Error(`no ${kind} message for ${to}`);
  return message.code;
}

let ipCounter = 0;
/** A fresh client address per test, so per-IP limits of one test do not spill into the next. */
export const nextIp = () => `10.9.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

export function client(app: FastifyInstance, ip = nextIp()) {
  const post = (url: string, payload?: object, token?: string) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/auth/${url}`,
      remoteAddress: ip,
      ...(payload ? { payload } : {}),
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });
  const get = (url: string, token: string) =>
    app.inject({
      method: 'GET',
      url: `/api/v1${url}`,
      remoteAddress: ip,
      headers: { authorization: `Bearer ${token}` },
    });
  return { ip, post, get };
}

/** A problem body without its per-request id, so two answers can be compared word for word. */
export function stable(res: LightMyRequestResponse) {
  const { request_id: _id, ...rest } = res.json() as Record<string, unknown>;
  return { status: res.statusCode, contentType: res.headers['content-type'], body: rest };
}

export const uniqueEmail = (label: string) =>
  `${label}-${Math.random().toString(36).slice(2, 10)}@example.com`;

/** The rest of seed 003's register body: a name and the terms accepted (ADR 0107). */
export const PERSON = { first_name: 'Test', last_name: 'User', accept_terms: true } as const;

export const PASSWORD = 'correct horse battery';
export const NEW_PASSWORD = 'staple battery horse correct';

/** RFC 6238 code for a base32 key, `stepsAgo` periods back (the IdP accepts ±1 step, each step once). */
export const totp = (base32: string, stepsAgo = 0) =>
  TOTP.generate({
    secret: Secret.fromBase32(base32),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    timestamp: Date.now() - stepsAgo * 30_000,
  });
