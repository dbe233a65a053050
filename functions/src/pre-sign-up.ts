import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { checkEmail, rulesFromEnv } from './email-rules.ts';

/**
 * PreSignUp: refuses malformed, look-alike and disposable addresses, and applies the
 * ALLOWED_EMAIL_DOMAINS allow-list when set. Throwing makes Cognito answer
 * UserLambdaValidationException "PreSignUp failed with error <message>." and create nobody.
 */
export async function handler(event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> {
  checkEmail(event.request.userAttributes.email, rulesFromEnv());
  return event;
}
