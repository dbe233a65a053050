import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { brandFromEnv, type Purpose, render } from './messages.ts';

const purposes: Partial<Record<CustomMessageTriggerEvent['triggerSource'], Purpose>> = {
  CustomMessage_SignUp: 'sign-up',
  CustomMessage_ResendCode: 'resend',
  CustomMessage_ForgotPassword: 'reset',
  CustomMessage_AdminCreateUser: 'invitation',
  CustomMessage_UpdateUserAttribute: 'verify-email',
  CustomMessage_VerifyUserAttribute: 'verify-email',
  CustomMessage_Authentication: 'sign-in',
};

/**
 * CustomMessage: the branded e-mail (and text) for sign-up, resend, reset, invitation, address checks
 * and sign-in (MFA) codes. The pool must send through SES
 * (EmailSendingAccount DEVELOPER) for Cognito to accept a custom subject and body.
 */
export async function handler(event: CustomMessageTriggerEvent): Promise<CustomMessageTriggerEvent> {
  const purpose = purposes[event.triggerSource];
  if (!purpose) return event;
  const { codeParameter, usernameParameter, userAttributes } = event.request;
  const message = render(purpose, {
    code: codeParameter,
    username: usernameParameter ?? undefined,
    name: userAttributes.given_name || userAttributes.name || undefined,
    brand: brandFromEnv(),
  });
  event.response.emailSubject = message.subject;
  event.response.emailMessage = message.html;
  event.response.smsMessage = message.sms;
  return event;
}
