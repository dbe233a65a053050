import type {
  ChallengeBody,
  ChallengeName,
  ChallengeResponse,
  FirstFactor,
  MfaType,
} from '@app/api-contract';
import { type AppClient, secretHashParam } from '@app/cognito-srp/sign-in';
import {
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandOutput,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { badRequest, bearerChallenge, unauthorized } from '../../errors.ts';
import { passwordPolicyMessage } from '../password-policy.ts';
import { badGateway, isCognitoError, upstreamProblem } from './errors.ts';

/** The steps this API passes on to its client (issue 11, ADRs 0118, 0141); anything else is refused at login. */
const PASSED_ON = new Set<string>([
  'SOFTWARE_TOKEN_MFA',
  'EMAIL_OTP',
  'SMS_MFA',
  'SELECT_MFA_TYPE',
  'MFA_SETUP',
  'NEW_PASSWORD_REQUIRED',
  'SELECT_CHALLENGE',
]);
const MFA_TYPES = new Set<string>(['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP', 'SMS_MFA']);

/** The issuer an authenticator app shows next to the account (otpauth URI). */
export const OTP_ISSUER = 'cognito-stack';

export const isPassedOn = (name: string | undefined): name is ChallengeName =>
  name !== undefined && PASSED_ON.has(name);

/**
 * USER_AUTH's AvailableChallenges as this API offers them: PASSWORD and PASSWORD_SRP are one choice
 * (the API does SRP with the password either way); WEB_AUTHN needs a browser or a platform
 * authenticator talking to Cognito itself, so it is not offered here.
 */
function firstFactors(available: string[] | undefined): FirstFactor[] {
  const offered = new Set<FirstFactor>();
  for (const c of available ?? []) {
    if (c === 'PASSWORD' || c === 'PASSWORD_SRP') offered.add('PASSWORD');
    if (c === 'EMAIL_OTP') offered.add('EMAIL_OTP');
  }
  return [...offered];
}

/** The ChallengeResponses key that carries the code, per challenge. */
const CODE_KEY: Partial<Record<ChallengeName, string>> = {
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
  SMS_MFA: 'SMS_MFA_CODE',
};

export const challengeMessages = {
  badCode: 'The code is incorrect, or it has already been used.',
  expired: 'The sign-in session has expired or is not valid; sign in again.',
  weakPassword: passwordPolicyMessage(),
} as const;

function mfaTypes(raw: string | undefined): MfaType[] | undefined {
  if (!raw) return undefined;
  try {
    const list = JSON.parse(raw) as unknown;
    return Array.isArray(list) ? (list.filter((t) => MFA_TYPES.has(String(t))) as MfaType[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The IdP's challenge as the client's next step. MFA_SETUP first gets a new authenticator key with the
 * challenge's session (AssociateSoftwareToken), so the client can show it and answer with a code.
 */
export async function toChallengeResponse(
  cognito: CognitoIdentityProviderClient,
  out: Pick<
    RespondToAuthChallengeCommandOutput,
    'ChallengeName' | 'ChallengeParameters' | 'Session' | 'AvailableChallenges'
  >,
  email: string,
  issuer: string,
): Promise<ChallengeResponse> {
  const name = out.ChallengeName as ChallengeName;
  const params = out.ChallengeParameters ?? {};
  if (!out.Session) throw badGateway('The identity provider sent a challenge without a session.');
  if (name === 'NEW_PASSWORD_REQUIRED')
    return { challenge_name: name, session: out.Session, fields: ['new_password'] };
  if (name === 'SELECT_CHALLENGE') {
    return {
      challenge_name: name,
      session: out.Session,
      fields: ['answer'],
      available_challenges: firstFactors(out.AvailableChallenges),
    };
  }
  if (name === 'SELECT_MFA_TYPE') {
    return {
      challenge_name: name,
      session: out.Session,
      fields: ['mfa_type'],
      mfa_types: mfaTypes(params.MFAS_CAN_CHOOSE) ?? [],
    };
  }
  if (name === 'MFA_SETUP') {
    const types = mfaTypes(params.MFAS_CAN_SETUP) ?? [];
    if (!types.includes('SOFTWARE_TOKEN_MFA')) {
      throw badGateway('The identity provider asks for an MFA setup this API cannot do (only TOTP).');
    }
    const assoc = await cognito.send(new AssociateSoftwareTokenCommand({ Session: out.Session }));
    if (!assoc.SecretCode || !assoc.Session)
      throw badGateway('The identity provider sent no authenticator key.');
    return {
      challenge_name: name,
      session: assoc.Session,
      fields: ['code'],
      mfa_types: types,
      secret_code: assoc.SecretCode,
      otpauth_uri: otpauthUri(assoc.SecretCode, email, issuer),
    };
  }
  return {
    challenge_name: name,
    session: out.Session,
    fields: ['code'],
    ...(params.CODE_DELIVERY_DESTINATION ? { code_sent_to: params.CODE_DELIVERY_DESTINATION } : {}),
  };
}

/** Key Uri Format (google-authenticator wiki): what authenticator apps read from a QR code. */
export function otpauthUri(secret: string, account: string, issuer: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const q = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: '6', period: '30' });
  return `otpauth://totp/${label}?${q.toString()}`;
}

/**
 * Answers one step with RespondToAuthChallenge (USERNAME + SECRET_HASH over the e-mail, which the pool
 * accepts as its alias). MFA_SETUP verifies the code against the new key first (VerifySoftwareToken).
 * Wrong code → 401, expired or foreign session → 401, missing field → 400; the rest as upstream.
 */
export async function respondToChallenge(
  cognito: CognitoIdentityProviderClient,
  client: AppClient,
  body: ChallengeBody & { email: string },
): Promise<RespondToAuthChallengeCommandOutput> {
  const name = body.challenge_name;
  const responses: Record<string, string> = { USERNAME: body.email, ...secretHashParam(client, body.email) };
  let session = body.session;
  try {
    if (name === 'SELECT_MFA_TYPE') {
      if (!body.mfa_type) throw badRequest('SELECT_MFA_TYPE is answered with "mfa_type".');
      responses.ANSWER = body.mfa_type;
    } else if (name === 'SELECT_CHALLENGE') {
      // PASSWORD is answered by a new SRP sign-in (the caller's); only the e-mailed code comes here.
      if (body.answer !== 'EMAIL_OTP') throw badRequest('SELECT_CHALLENGE is answered with "answer".');
      responses.ANSWER = body.answer;
    } else if (name === 'NEW_PASSWORD_REQUIRED') {
      if (!body.new_password) throw badRequest('NEW_PASSWORD_REQUIRED is answered with "new_password".');
      responses.NEW_PASSWORD = body.new_password;
    } else {
      if (!body.code) throw badRequest(`${name} is answered with "code".`);
      if (name === 'MFA_SETUP') {
        const verified = await cognito.send(
          new VerifySoftwareTokenCommand({ Session: session, UserCode: body.code }),
        );
        if (verified.Status !== 'SUCCESS' || !verified.Session) throw unauthorizedCode();
        session = verified.Session;
      } else {
        responses[CODE_KEY[name]!] = body.code;
      }
    }
    return await cognito.send(
      new RespondToAuthChallengeCommand({
        ChallengeName: name,
        ClientId: client.clientId,
        Session: session,
        ChallengeResponses: responses,
      }),
    );
  } catch (err) {
    if (
      isCognitoError(err, 'CodeMismatchException', 'ExpiredCodeException', 'EnableSoftwareTokenMFAException')
    ) {
      throw unauthorizedCode();
    }
    if (isCognitoError(err, 'NotAuthorizedException', 'UserNotFoundException')) {
      throw unauthorized(challengeMessages.expired, { challenge: bearerChallenge() });
    }
    if (isCognitoError(err, 'InvalidPasswordException')) throw badRequest(challengeMessages.weakPassword);
    // A choice the account cannot make (a factor it has not set up).
    if (isCognitoError(err, 'InvalidParameterException') && name === 'SELECT_MFA_TYPE') {
      throw badRequest('This account cannot use that MFA type; choose one of "mfa_types".');
    }
    if (isCognitoError(err, 'InvalidParameterException') && name === 'SELECT_CHALLENGE') {
      throw badRequest('This account cannot sign in that way; choose one of "available_challenges".');
    }
    throw upstreamProblem(err);
  }
}

const unauthorizedCode = () => unauthorized(challengeMessages.badCode, { challenge: bearerChallenge() });
