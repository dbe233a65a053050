/**
 * The browser's WebAuthn ceremonies, loaded on demand (only the passkey steps import this module):
 * @simplewebauthn/browser turns Cognito's JSON options into navigator.credentials calls and the
 * credential back into the JSON Cognito verifies.
 */
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { AuthError } from './errors.ts';

type CreationOptions = Parameters<typeof startRegistration>[0]['optionsJSON'];
type RequestOptions = Parameters<typeof startAuthentication>[0]['optionsJSON'];

/** The browser refused or the user closed the prompt: say so in plain words. */
function browserRefusal(err: unknown): AuthError {
  const name = err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError')
    return new AuthError('PasskeyCancelled', 'The passkey prompt was closed or timed out. Try again.');
  if (name === 'InvalidStateError')
    return new AuthError('PasskeyExists', 'This device already holds a passkey for your account.');
  if (name === 'SecurityError')
    return new AuthError('PasskeyOrigin', 'Passkeys cannot be used on this address of the app.');
  return new AuthError('PasskeyUnsupported', 'This browser could not use a passkey here.');
}

export async function createPasskey(options: unknown): Promise<unknown> {
  try {
    return await startRegistration({ optionsJSON: options as CreationOptions });
  } catch (err) {
    throw browserRefusal(err);
  }
}

export async function assertPasskey(options: unknown): Promise<unknown> {
  try {
    return await startAuthentication({ optionsJSON: options as RequestOptions });
  } catch (err) {
    throw browserRefusal(err);
  }
}
