import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Ctx } from '../context.ts';
import { opaque } from '../ids.ts';
import { CognitoError, notAuthorized } from '../protocol/errors.ts';
import { isLoopbackName } from '../protocol/exposure.ts';
import type { ClientRecord, PoolRecord, UserRecord, WebAuthnCredentialRecord } from '../store/state.ts';
import { challengeLifetimeMs } from '../users/challenges.ts';
import type { WebAuthnChallenge } from './challenge-types.ts';

const err = (type: string, message: string) => new CognitoError(type, message);

/**
 * The relying-party id: WebAuthnConfiguration.RelyingPartyId, else the pool's custom domain, else —
 * for a prefix domain, which nothing serves locally — `localhost`, where the managed login and the
 * SPA run. Without a domain or an id Cognito answers WebAuthnConfigurationMissingException.
 */
export function relyingPartyId(pool: PoolRecord): string {
  const configured = pool.mfa?.webAuthn?.relyingPartyId;
  if (configured) return configured;
  if (pool.domain?.certificateArn) return pool.domain.domain;
  if (pool.domain) return 'localhost';
  throw err(
    'WebAuthnConfigurationMissingException',
    'The user pool has no relying party id and no domain: set WebAuthnConfiguration.RelyingPartyId with SetUserPoolMfaConfig.',
  );
}

const userVerification = (pool: PoolRecord) =>
  pool.mfa?.webAuthn?.userVerification === 'required' ? 'required' : 'preferred';

/**
 * The origin the browser reports in clientDataJSON, if it may use this RP id: its host is the RP id
 * or a subdomain of it, over https (http only on loopback names, which browsers treat as secure).
 */
function allowedOrigin(clientDataJSON: unknown, rpId: string): string {
  let origin: string | undefined;
  try {
    origin = JSON.parse(Buffer.from(String(clientDataJSON), 'base64url').toString('utf8')).origin;
  } catch {}
  const url = origin ? URL.parse(origin) : null;
  const host = url?.hostname ?? '';
  const secure = url?.protocol === 'https:' || (url?.protocol === 'http:' && isLoopbackName(host));
  if (!url || !secure || !(host === rpId || host.endsWith(`.${rpId}`)))
    throw err(
      'WebAuthnOriginNotAllowedException',
      `The origin ${origin ?? '(none)'} is not allowed for the relying party ${rpId}.`,
    );
  return url.origin;
}

function asObject<T>(v: unknown, name: string): T {
  const parsed = typeof v === 'string' ? safeJson(v) : v;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw err('InvalidParameterException', `${name} must be a WebAuthn credential (JSON).`);
  return parsed as T;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

const registrationKey = (poolId: string, username: string) => `webauthn-registration:${poolId}:${username}`;

/** StartWebAuthnRegistration: creation options for a new passkey; the challenge waits 3 minutes. */
export async function startRegistration(ctx: Ctx, pool: PoolRecord, client: ClientRecord, user: UserRecord) {
  const rpId = relyingPartyId(pool);
  const existing = user.webAuthn ?? [];
  if (existing.length >= 20) throw err('LimitExceededException', 'A user can register at most 20 passkeys.');
  const options = await generateRegistrationOptions({
    rpName: pool.name,
    rpID: rpId,
    userName: user.attributes.email ?? user.username,
    userID: new TextEncoder().encode(user.sub),
    userDisplayName: user.attributes.name ?? user.attributes.email ?? user.username,
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports as never })),
    authenticatorSelection: { residentKey: 'required', userVerification: userVerification(pool) },
    timeout: challengeLifetimeMs,
  });
  const challenge: WebAuthnChallenge = {
    kind: 'WEB_AUTHN',
    purpose: 'registration',
    poolId: pool.id,
    clientId: client.clientId,
    username: user.username,
    admin: false,
    challenge: options.challenge,
    rpId,
    expiresAt: ctx.clock() + challengeLifetimeMs,
  };
  ctx.challenges.put(registrationKey(pool.id, user.username), challenge);
  return options;
}

/** CompleteWebAuthnRegistration: verifies the attestation and stores the passkey. The caller commits. */
export async function completeRegistration(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  credential: unknown,
) {
  const response = asObject<RegistrationResponseJSON>(credential, 'Credential');
  const c = ctx.challenges.take(registrationKey(pool.id, user.username));
  if (c?.kind !== 'WEB_AUTHN' || c.purpose !== 'registration')
    throw err(
      'WebAuthnChallengeNotFoundException',
      'No passkey registration is waiting for this user; start one again.',
    );
  const origin = allowedOrigin(response.response?.clientDataJSON, c.rpId);
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: c.challenge,
      expectedOrigin: origin,
      expectedRPID: c.rpId,
      requireUserVerification: userVerification(pool) === 'required',
    });
  } catch (e) {
    throw libraryError(e);
  }
  if (!verified.verified)
    throw err('WebAuthnCredentialNotSupportedException', 'The passkey could not be verified.');
  const info = verified.registrationInfo;
  if ((user.webAuthn ?? []).some((x) => x.credentialId === info.credential.id))
    throw err('InvalidParameterException', 'This passkey is already registered.');
  const record: WebAuthnCredentialRecord = {
    credentialId: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    transports: info.credential.transports ?? response.response?.transports ?? [],
    friendlyName: info.credentialDeviceType === 'multiDevice' ? 'Synced passkey' : 'Passkey',
    relyingPartyId: c.rpId,
    attachment: response.authenticatorAttachment,
    userVerified: info.userVerified,
    createdAt: ctx.clock(),
  };
  user.webAuthn = [...(user.webAuthn ?? []), record];
  user.modifiedAt = ctx.clock();
}

/** The library's refusals, named as Cognito names them. */
function libraryError(e: unknown) {
  const message = e instanceof Error ? e.message : String(e);
  if (/RP ID/i.test(message)) return err('WebAuthnRelyingPartyMismatchException', message);
  if (/challenge/i.test(message)) return err('WebAuthnChallengeNotFoundException', message);
  if (/origin/i.test(message)) return err('WebAuthnOriginNotAllowedException', message);
  if (/type/i.test(message)) return err('WebAuthnClientMismatchException', message);
  return err('WebAuthnCredentialNotSupportedException', message);
}

/** The WEB_AUTHN sign-in challenge: request options for the user's passkeys, under a new Session. */
export async function startAssertion(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  admin: boolean,
) {
  const rpId = relyingPartyId(pool);
  const options = await generateAuthenticationOptions({
    rpID: rpId,
    allowCredentials: (user.webAuthn ?? []).map((c) => ({
      id: c.credentialId,
      transports: c.transports as never,
    })),
    userVerification: userVerification(pool),
    timeout: challengeLifetimeMs,
  });
  const session = opaque(192);
  ctx.challenges.put(session, {
    kind: 'WEB_AUTHN',
    purpose: 'sign-in',
    poolId: pool.id,
    clientId: client.clientId,
    username: user.username,
    admin,
    challenge: options.challenge,
    rpId,
    expiresAt: ctx.clock() + challengeLifetimeMs,
  });
  return {
    ChallengeName: 'WEB_AUTHN',
    Session: session,
    ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) },
  };
}

/**
 * RespondToAuthChallenge WEB_AUTHN: verifies the assertion against the stored passkey and moves its
 * signature counter; returns the user. A failed assertion answers like a wrong password.
 */
export async function finishAssertion(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  responses: Record<string, string>,
  session: string,
  admin: boolean,
): Promise<UserRecord> {
  const c = ctx.challenges.take(session);
  if (
    c?.kind !== 'WEB_AUTHN' ||
    c.purpose !== 'sign-in' ||
    c.clientId !== client.clientId ||
    c.admin !== admin
  )
    throw notAuthorized('Invalid session for the user, session is expired.');
  const user = pool.users[c.username];
  if (!user) throw notAuthorized('Invalid session for the user, session is expired.');
  const response = asObject<AuthenticationResponseJSON>(responses.CREDENTIAL, 'CREDENTIAL');
  const stored = (user.webAuthn ?? []).find((x) => x.credentialId === response.id);
  if (!stored) throw notAuthorized('Incorrect username or password.');
  const origin = allowedOrigin(response.response?.clientDataJSON, c.rpId);
  let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: c.challenge,
      expectedOrigin: origin,
      expectedRPID: c.rpId,
      credential: {
        id: stored.credentialId,
        publicKey: new Uint8Array(Buffer.from(stored.publicKey, 'base64url')),
        counter: stored.counter,
        transports: stored.transports,
      },
      requireUserVerification: userVerification(pool) === 'required',
    });
  } catch {
    throw notAuthorized('Incorrect username or password.');
  }
  if (!result.verified) throw notAuthorized('Incorrect username or password.');
  stored.counter = result.authenticationInfo.newCounter;
  return user;
}

/** ListWebAuthnCredentials' entries. */
export const credentialType = (c: WebAuthnCredentialRecord) => ({
  CredentialId: c.credentialId,
  FriendlyCredentialName: c.friendlyName,
  RelyingPartyId: c.relyingPartyId,
  AuthenticatorAttachment: c.attachment,
  AuthenticatorTransports: c.transports,
  CreatedAt: c.createdAt / 1000,
});
