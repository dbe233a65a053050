/**
 * Who may reach the local IdP (ADR 0076): it listens on loopback unless told otherwise, answers only
 * requests addressed to a loopback name (so a DNS-rebinding page cannot reach it under its own name),
 * and a web page may call only what Cognito lets browsers call, from origins configured for it.
 */
import { isIPv4, isIPv6 } from 'node:net';

export class ExposureError extends Error {
  override name = 'ExposureError';
}

export interface Exposure {
  /** Origins (scheme://host[:port]) whose pages may call the public operations; empty = none. */
  corsOrigins: ReadonlySet<string>;
  /** Host names accepted besides the loopback ones (lower case, no port). */
  allowedHosts: ReadonlySet<string>;
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped), `localhost` and `*.localhost` (RFC 6761: always loopback). */
export function isLoopbackName(name: string): boolean {
  const host = name
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIPv4(host)) return host.startsWith('127.');
  if (isIPv6(host)) {
    if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^(?:0:0:0:0:0|:):ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    return mapped ? isLoopbackName(mapped[1]!) : false;
  }
  return false;
}

/** The name part of a Host header (`name`, `name:port`, `[v6]`, `[v6]:port`), lower case. */
export function hostName(header: string): string {
  const v6 = /^\[([^\]]*)\](?::\d*)?$/.exec(header);
  if (v6) return `[${v6[1]!.toLowerCase()}]`;
  return header.replace(/:\d*$/, '').toLowerCase();
}

export function hostAllowed(exposure: Exposure, header: string | undefined): boolean {
  if (!header) return false;
  const name = hostName(header);
  return isLoopbackName(name) || exposure.allowedHosts.has(name.replace(/\.$/, ''));
}

/** A listen address other than loopback needs `allowRemote` (`--allow-remote`). */
export function checkBind(host: string, allowRemote: boolean) {
  if (allowRemote || isLoopbackName(host)) return;
  throw new ExposureError(
    `refusing to listen on ${host}: the local IdP has unauthenticated admin operations and a dev mailbox; ` +
      'listen on 127.0.0.1, or pass --allow-remote (IDP_ALLOW_REMOTE=1) if this network is yours alone',
  );
}

/** `http(s)://host[:port]` exactly as a browser sends it in `Origin`; anything else is refused. */
export function parseOrigin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ExposureError(`CORS origin "${text}" is not a URL like http://localhost:5173`);
  }
  if (!/^https?:$/.test(url.protocol) || text.replace(/\/$/, '') !== url.origin)
    throw new ExposureError(
      `CORS origin "${text}" must be scheme://host[:port] only, like http://localhost:5173`,
    );
  return url.origin;
}

export function makeExposure(o: { corsOrigins?: string[]; allowedHosts?: string[] }): Exposure {
  return {
    corsOrigins: new Set((o.corsOrigins ?? []).map(parseOrigin)),
    allowedHosts: new Set(
      (o.allowedHosts ?? []).map((h) => {
        if (!/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/i.test(h))
          throw new ExposureError(`allowed host "${h}" must be a host name or IP address, without a port`);
        return h.toLowerCase().replace(/\.$/, '');
      }),
    ),
  };
}

/**
 * The operations Cognito answers without AWS credentials — public or authorised by a user's token or
 * session — and so the only ones it lets a browser call. The list is the AWS SDK's own (the service
 * model marks exactly these with optional auth, and the SDK sends them unsigned). Everything else —
 * Admin*, pools, clients, groups, ListUsers — needs a SigV4-signed request.
 */
export const browserOperations: ReadonlySet<string> = new Set([
  'AssociateSoftwareToken',
  'ChangePassword',
  'CompleteWebAuthnRegistration',
  'ConfirmDevice',
  'ConfirmForgotPassword',
  'ConfirmSignUp',
  'DeleteUser',
  'DeleteUserAttributes',
  'DeleteWebAuthnCredential',
  'ForgetDevice',
  'ForgotPassword',
  'GetDevice',
  'GetTokensFromRefreshToken',
  'GetUser',
  'GetUserAttributeVerificationCode',
  'GetUserAuthFactors',
  'GlobalSignOut',
  'InitiateAuth',
  'ListDevices',
  'ListUserSessions',
  'ListWebAuthnCredentials',
  'ResendConfirmationCode',
  'RespondToAuthChallenge',
  'RevokeToken',
  'RevokeUserSession',
  'SetUserMFAPreference',
  'SetUserSettings',
  'SignUp',
  'StartWebAuthnRegistration',
  'UpdateAuthEventFeedback',
  'UpdateDeviceStatus',
  'UpdateUserAttributes',
  'VerifySoftwareToken',
  'VerifyUserAttribute',
]);

/** What every AWS SDK, the CLI and boto3 send for a signed request (credentials are not checked). */
export const isSigV4 = (authorization: string | undefined) =>
  typeof authorization === 'string' && authorization.startsWith('AWS4-HMAC-SHA256 ');
