import { renderSVG } from 'uqr';
import { passwordPassed } from '../events/auth-events.ts';
import { opaque } from '../ids.ts';
import { type ChallengeAnswer, respondMfa, startMfa, takeMfaChallenge } from '../mfa/challenge.ts';
import { mfaAttemptSucceeded } from '../mfa/codes.ts';
import { enrolTotp, setPendingTotp } from '../mfa/settings.ts';
import { newTotpSecret, totpStep } from '../mfa/totp.ts';
import { CognitoError } from '../protocol/errors.ts';
import type { UserRecord } from '../store/state.ts';
import { challengeLifetimeMs } from '../users/challenges.ts';
import { type PageContext, pagePath, secretHashFor, signInBrowser } from './flow.ts';
import { esc, field, form, sendPage } from './page.ts';

const factorNames: Record<string, string> = {
  SOFTWARE_TOKEN_MFA: 'Authenticator app',
  EMAIL_OTP: 'E-mail code',
  SMS_MFA: 'Text message (SMS)',
};

const codeField = (label: string, invalid: boolean) =>
  field({ name: 'code', label, autocomplete: 'one-time-code', inputmode: 'numeric' }, invalid);

/** One page per MFA challenge; the challenge's Session travels in a hidden field. */
function challengePage(p: PageContext, a: ChallengeAnswer, error?: string) {
  const hidden = { mfa_session: a.Session, mfa_name: a.ChallengeName };
  const action = pagePath(p, '/login');
  const common = { error, status: error ? 400 : 200, headers: p.headers };
  if (a.ChallengeName === 'SOFTWARE_TOKEN_MFA')
    return sendPage(p.res, {
      title: 'Enter your authenticator code',
      lead: 'Open your authenticator app and enter the 6-digit code it shows for this account.',
      ...common,
      body: form(action, p.csrf, hidden, codeField('Code', !!error), 'Sign in'),
    });
  if (a.ChallengeName === 'EMAIL_OTP' || a.ChallengeName === 'SMS_MFA')
    return sendPage(p.res, {
      title: a.ChallengeName === 'EMAIL_OTP' ? 'Check your e-mail' : 'Check your phone',
      lead: `We sent a 6-digit code to ${a.ChallengeParameters.CODE_DELIVERY_DESTINATION}. Enter it to sign in.`,
      ...common,
      body: form(action, p.csrf, hidden, codeField('Code', !!error), 'Sign in'),
    });
  const options: string[] = JSON.parse(a.ChallengeParameters.MFAS_CAN_CHOOSE ?? '[]');
  const radios = options
    .map(
      (o, i) =>
        `<label><input type="radio" name="answer" value="${esc(o)}"${i === 0 ? ' checked' : ''}> ${esc(factorNames[o] ?? o)}</label>`,
    )
    .join('');
  sendPage(p.res, {
    title: 'Choose how to verify',
    lead: 'Your account has more than one way to confirm it is you.',
    ...common,
    body: form(action, p.csrf, hidden, `<fieldset><legend>Method</legend>${radios}</fieldset>`, 'Continue'),
  });
}

/**
 * MFA_SETUP in the browser: a new secret is associated with the sign-in at once and shown as a QR
 * code (an otpauth:// URI) and as text; the first right code enrols it and signs the browser in.
 */
async function setupPage(p: PageContext, session: string, user: UserRecord, error?: string) {
  const c = takeMfaChallenge(p.ctx, session, p.request.client.clientId, false);
  let secret = user.mfa?.pendingTotpSecret;
  if (!secret || !error) {
    secret = newTotpSecret();
    setPendingTotp(user, secret);
    await p.ctx.store.commit();
  }
  const next = opaque(192);
  p.ctx.challenges.put(next, { ...c, expiresAt: p.ctx.clock() + challengeLifetimeMs });
  const label = encodeURIComponent(`${p.request.pool.name}:${user.attributes.email ?? user.username}`);
  const uri = `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(p.request.pool.name)}`;
  const qr = renderSVG(uri, { border: 2 }).replace(
    '<svg ',
    '<svg role="img" aria-label="QR code for your authenticator app" width="220" height="220" ',
  );
  sendPage(p.res, {
    title: 'Set up an authenticator app',
    lead: 'This account needs a second step at sign-in. Scan the code with an authenticator app, then enter the 6-digit code it shows.',
    error,
    status: error ? 400 : 200,
    headers: p.headers,
    body: `${qr}<p>Or enter this key by hand: <code id="totp-secret">${esc(secret)}</code></p>${form(
      pagePath(p, '/login'),
      p.csrf,
      { mfa_session: next, mfa_name: 'MFA_SETUP' },
      codeField('Code from the app', !!error),
      'Verify and sign in',
    )}`,
  });
}

/** The auth event's steps of a managed-login sign-in that passed MFA. */
const withMfa = [...passwordPassed, { name: 'Mfa' as const, response: 'Success' as const }];

/** After the password: the MFA step due for this user, or the sign-in itself. */
export async function continueWithMfa(p: PageContext, user: UserRecord) {
  const answer = await startMfa(p.ctx, p.request.pool, p.request.client, user, false, true);
  await p.ctx.store.commit();
  if (!answer) return signInBrowser(p, user, passwordPassed);
  if (answer.ChallengeName === 'MFA_SETUP') return setupPage(p, answer.Session, user);
  challengePage(p, answer);
}

const expiredPage = (p: PageContext) =>
  sendPage(p.res, {
    title: 'Sign in again',
    error: 'Invalid session for the user, session is expired.',
    status: 400,
    headers: p.headers,
    body: `<p><a href="${esc(pagePath(p, '/login'))}">Back to sign in</a></p>`,
  });

/** POST /login with an MFA step: a code, a choice, or the first code of a new authenticator. */
export async function postMfa(p: PageContext, posted: URLSearchParams) {
  const { ctx, request } = p;
  const session = posted.get('mfa_session') ?? '';
  const name = posted.get('mfa_name') ?? '';
  const code = (posted.get('code') ?? '').trim();
  const pending = ctx.challenges.take(session);
  const user = pending?.kind === 'MFA' && pending.browser ? request.pool.users[pending.username] : undefined;
  if (pending?.kind !== 'MFA' || !user || pending.clientId !== request.client.clientId) return expiredPage(p);
  if (name === 'MFA_SETUP') {
    const secret = user.mfa?.pendingTotpSecret;
    const step = secret ? totpStep(secret, code, ctx.clock()) : undefined;
    ctx.challenges.put(session, pending);
    if (!secret || step === undefined)
      return setupPage(p, session, user, 'Code mismatch and fail enable Software Token MFA');
    ctx.challenges.take(session);
    enrolTotp(user, secret, step);
    mfaAttemptSucceeded(user);
    await ctx.store.commit();
    return signInBrowser(p, user, withMfa);
  }
  ctx.challenges.put(session, pending);
  const responses: Record<string, string> = { USERNAME: user.username };
  const hash = secretHashFor(p, user.username);
  if (hash) responses.SECRET_HASH = hash;
  if (name === 'SOFTWARE_TOKEN_MFA') responses.SOFTWARE_TOKEN_MFA_CODE = code;
  else if (name === 'EMAIL_OTP') responses.EMAIL_OTP_CODE = code;
  else if (name === 'SMS_MFA') responses.SMS_MFA_CODE = code;
  else responses.ANSWER = posted.get('answer') ?? '';
  try {
    const outcome = await respondMfa(
      ctx,
      request.pool,
      request.client,
      name,
      responses,
      session,
      false,
      true,
    );
    if ('user' in outcome) return signInBrowser(p, outcome.user, withMfa);
    return challengePage(p, { ...outcome.next });
  } catch (err) {
    if (!(err instanceof CognitoError)) throw err;
    if (!ctx.challenges.has(session)) return expiredPage(p);
    return challengePage(
      p,
      { ChallengeName: name, Session: session, ChallengeParameters: pending.parameters ?? {} },
      err.message,
    );
  }
}
