import type { Ctx } from '../context.ts';
import { invalidParameter } from '../protocol/errors.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { userAttributesOf, withMetadata } from './events.ts';
import { invalidLambdaResponse, invokeTrigger } from './invoke.ts';

export interface PreSignUpResult {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

const none: PreSignUpResult = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };

/**
 * PreSignUp before a user is created (SignUp, AdminCreateUser, ExternalProvider): a thrown error
 * refuses the sign-up; the answer may confirm the user and mark the e-mail or phone verified —
 * except for AdminCreateUser, where Cognito ignores all three flags (pre sign-up trigger page):
 * an invited user is confirmed by their first sign-in and verified as the administrator said.
 */
export async function preSignUp(
  ctx: Ctx,
  pool: PoolRecord,
  call: {
    source: 'SignUp' | 'AdminCreateUser' | 'ExternalProvider';
    userName: string;
    attributes: Record<string, string>;
    validationData?: Record<string, string>;
    clientId?: string;
    clientMetadata?: Record<string, string>;
  },
): Promise<PreSignUpResult> {
  const r = await invokeTrigger(ctx, pool, 'PreSignUp', {
    triggerSource: `PreSignUp_${call.source}`,
    userName: call.userName,
    clientId: call.clientId,
    request: withMetadata(
      { userAttributes: { ...call.attributes }, validationData: call.validationData ?? null },
      call.clientMetadata,
    ),
    response: { ...none },
    validate: (res) => {
      for (const k of Object.keys(none))
        if (res[k] !== undefined && res[k] !== null && typeof res[k] !== 'boolean')
          throw invalidLambdaResponse();
    },
  });
  if (!r || call.source === 'AdminCreateUser') return none;
  const result = {
    autoConfirmUser: r.autoConfirmUser === true,
    autoVerifyEmail: r.autoVerifyEmail === true,
    autoVerifyPhone: r.autoVerifyPhone === true,
  };
  if (result.autoVerifyEmail && !call.attributes.email)
    throw invalidParameter('autoVerifyEmail is set but the user has no email attribute.');
  if (result.autoVerifyPhone && !call.attributes.phone_number)
    throw invalidParameter('autoVerifyPhone is set but the user has no phone_number attribute.');
  return result;
}

/**
 * PostConfirmation after the user is confirmed (and committed): as in Cognito, a failing function
 * fails the call, but the confirmation stands — the function must be idempotent and retry-safe.
 */
export async function postConfirmation(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  call: {
    source: 'ConfirmSignUp' | 'ConfirmForgotPassword';
    clientId?: string;
    clientMetadata?: Record<string, string>;
  },
): Promise<void> {
  await invokeTrigger(ctx, pool, 'PostConfirmation', {
    triggerSource: `PostConfirmation_${call.source}`,
    userName: user.username,
    clientId: call.clientId,
    request: withMetadata({ userAttributes: userAttributesOf(user) }, call.clientMetadata),
  });
}
