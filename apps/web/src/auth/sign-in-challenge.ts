/**
 * The steps of a sign-in after (or instead of) the password: Cognito's MFA challenges after SRP, and
 * choice-based sign-in (USER_AUTH) with e-mail codes and passkeys. Each answer goes to
 * RespondToAuthChallenge with the challenge's Session; the result is tokens or the next step.
 */
import type { SignInResult } from './cognito-auth.ts';
import type { CognitoCall } from './cognito-call.ts';
import { AuthError } from './errors.ts';
import { otpauthUri } from './factors.ts';
import type { Session } from './session.ts';

export type MfaFactor = 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP' | 'SMS_MFA';
/** USER_AUTH's first factors (what SELECT_CHALLENGE offers). */
export type FirstFactor = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'WEB_AUTHN' | 'SMS_OTP';

/** What the page must ask for next. */
export type SignInStep =
  /** A code: from the authenticator app, an e-mail or a text message (`destination` masked). */
  | { kind: 'code'; factor: MfaFactor; destination: string | null }
  /** Several second factors are on and none is preferred: the user picks one. */
  | { kind: 'selectMfa'; factors: MfaFactor[] }
  /** The pool requires MFA and the user has none yet: set one up now (MFA_SETUP). */
  | { kind: 'mfaSetup'; factors: MfaFactor[] }
  /** USER_AUTH without a preference: the ways this account can sign in. */
  | { kind: 'selectChallenge'; choices: FirstFactor[] }
  /** WEB_AUTHN: the browser asks the passkey. */
  | { kind: 'passkey' };

export interface SignInChallenge {
  readonly email: string;
  readonly step: SignInStep;
  /** A code step's answer. A wrong code throws and leaves this step usable for another try. */
  answerCode(code: string): Promise<SignInResult>;
  /** selectMfa / selectChallenge: the chosen factor; mfaSetup: 'EMAIL_OTP' to use e-mail codes. */
  choose(answer: MfaFactor | FirstFactor): Promise<SignInResult>;
  /** passkey: runs navigator.credentials.get with Cognito's options and answers with the assertion. */
  answerWithPasskey(): Promise<SignInResult>;
  /** mfaSetup: a new authenticator secret for this sign-in (AssociateSoftwareToken by Session). */
  setUpAuthenticator(): Promise<{ secret: string; uri: string }>;
  /** mfaSetup: the first code from the app turns it on and finishes the sign-in. */
  verifyAuthenticator(code: string): Promise<SignInResult>;
}

/** Cognito's answer to InitiateAuth / RespondToAuthChallenge. */
export interface ChallengeAnswer {
  ChallengeName?: string;
  Session?: string;
  ChallengeParameters?: Record<string, string>;
  AvailableChallenges?: string[];
  AuthenticationResult?: { AccessToken: string; IdToken: string; RefreshToken?: string };
}

/** What a challenge needs from the session layer. */
export interface ChallengeContext {
  call: CognitoCall;
  clientId: string;
  /** Stores the tokens as the signed-in session. */
  finish(result: NonNullable<ChallengeAnswer['AuthenticationResult']>): Session;
  /** The name authenticator apps show above the code. */
  issuer: string;
}

const listOf = (json: string | undefined): string[] => {
  try {
    const v = JSON.parse(json ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

/** The step a Cognito challenge asks for; AuthError for a challenge this app cannot answer. */
export function stepOf(answer: ChallengeAnswer): SignInStep {
  const p = answer.ChallengeParameters ?? {};
  const destination = p.CODE_DELIVERY_DESTINATION ?? null;
  switch (answer.ChallengeName) {
    case 'SOFTWARE_TOKEN_MFA':
    case 'EMAIL_OTP':
    case 'SMS_MFA':
      return { kind: 'code', factor: answer.ChallengeName, destination };
    case 'SMS_OTP':
      return { kind: 'code', factor: 'SMS_MFA', destination };
    case 'SELECT_MFA_TYPE':
      return { kind: 'selectMfa', factors: listOf(p.MFAS_CAN_CHOOSE) as MfaFactor[] };
    case 'MFA_SETUP':
      return { kind: 'mfaSetup', factors: listOf(p.MFAS_CAN_SETUP) as MfaFactor[] };
    case 'SELECT_CHALLENGE':
      return { kind: 'selectChallenge', choices: (answer.AvailableChallenges ?? []) as FirstFactor[] };
    case 'WEB_AUTHN':
      return { kind: 'passkey' };
    default:
      throw new AuthError(
        'UnsupportedChallenge',
        'This account needs a sign-in step this app does not offer. Use the hosted sign-in page or ask an administrator.',
      );
  }
}

/** The response key for a code step's challenge. */
const codeKey: Record<string, string> = {
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
  SMS_MFA: 'SMS_MFA_CODE',
  SMS_OTP: 'SMS_OTP_CODE',
};

/** A wrong code's words name where the code came from ("Check the e-mail" is wrong for an app). */
export function codeError(err: unknown, factor: string): unknown {
  if (!(err instanceof AuthError)) return err;
  const app = factor === 'SOFTWARE_TOKEN_MFA';
  if (err.code === 'CodeMismatchException' || err.code === 'EnableSoftwareTokenMFAException')
    return new AuthError(
      err.code,
      app
        ? 'That code is not right. Check your authenticator app and try again.'
        : `That code is not right. Check the ${factor === 'EMAIL_OTP' ? 'e-mail' : 'text message'} and try again.`,
    );
  if (err.code === 'ExpiredCodeException' && app)
    return new AuthError(err.code, 'That code has been used already. Wait for the next one in your app.');
  if (err.code === 'NotAuthorizedException' && /session/i.test(err.message))
    return new AuthError(err.code, 'This sign-in took too long. Start again with your e-mail address.');
  return err;
}

/** One pending step of a sign-in, answered through Cognito with its Session. */
export class CognitoChallenge implements SignInChallenge {
  readonly step: SignInStep;
  private readonly name: string;
  private session: string;
  private readonly parameters: Record<string, string>;
  /** USERNAME in the responses: SRP's USER_ID_FOR_SRP, else what the user typed. */
  private readonly username: string;

  constructor(
    private readonly ctx: ChallengeContext,
    readonly email: string,
    answer: ChallengeAnswer,
  ) {
    this.step = stepOf(answer);
    this.name = answer.ChallengeName!;
    this.session = answer.Session ?? '';
    this.parameters = answer.ChallengeParameters ?? {};
    this.username = answer.ChallengeParameters?.USER_ID_FOR_SRP ?? email;
  }

  /** Tokens, or the next step. */
  static outcome(ctx: ChallengeContext, email: string, answer: ChallengeAnswer): SignInResult {
    if (answer.AuthenticationResult)
      return { kind: 'signedIn', session: ctx.finish(answer.AuthenticationResult) };
    return { kind: 'challenge', challenge: new CognitoChallenge(ctx, email, answer) };
  }

  private async respond(responses: Record<string, string>, name = this.name): Promise<SignInResult> {
    const answer = await this.ctx.call<ChallengeAnswer>('RespondToAuthChallenge', {
      ClientId: this.ctx.clientId,
      ChallengeName: name,
      Session: this.session,
      ChallengeResponses: { USERNAME: this.username, ...responses },
    });
    return CognitoChallenge.outcome(this.ctx, this.email, answer);
  }

  async answerCode(code: string): Promise<SignInResult> {
    const key = codeKey[this.name];
    if (this.step.kind !== 'code' || !key) throw new AuthError('WrongStep', 'This step takes no code.');
    try {
      return await this.respond({ [key]: code.trim() });
    } catch (err) {
      throw codeError(err, this.step.factor);
    }
  }

  choose(answer: MfaFactor | FirstFactor): Promise<SignInResult> {
    // MFA_SETUP with e-mail: the user's own address; Cognito then mails a code (EMAIL_OTP).
    if (this.step.kind === 'mfaSetup') return this.respond({ EMAIL: this.email });
    return this.respond({ ANSWER: answer });
  }

  async answerWithPasskey(): Promise<SignInResult> {
    if (this.step.kind !== 'passkey') throw new AuthError('WrongStep', 'This step is not a passkey.');
    const { assertPasskey } = await import('./webauthn.ts');
    const assertion = await assertPasskey(JSON.parse(this.parameters.CREDENTIAL_REQUEST_OPTIONS ?? '{}'));
    return this.respond({ CREDENTIAL: JSON.stringify(assertion) });
  }

  async setUpAuthenticator(): Promise<{ secret: string; uri: string }> {
    const { SecretCode, Session } = await this.ctx.call<{ SecretCode: string; Session?: string }>(
      'AssociateSoftwareToken',
      { Session: this.session },
    );
    if (Session) this.session = Session;
    return { secret: SecretCode, uri: otpauthUri(this.ctx.issuer, this.email, SecretCode) };
  }

  async verifyAuthenticator(code: string): Promise<SignInResult> {
    try {
      const { Session } = await this.ctx.call<{ Session?: string }>('VerifySoftwareToken', {
        Session: this.session,
        UserCode: code.trim(),
        FriendlyDeviceName: 'Authenticator app',
      });
      if (Session) this.session = Session;
    } catch (err) {
      throw codeError(err, 'SOFTWARE_TOKEN_MFA');
    }
    return this.respond({});
  }
}
