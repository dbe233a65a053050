import { problemFrom } from '../api/problem.ts';
import type { SignUpInput } from './cognito-auth.ts';
import { AuthError, toAuthError } from './errors.ts';

/** API statuses → the AuthError codes pages already know. */
function codeFor(status: number): string {
  if (status === 429) return 'TooManyRequestsException';
  if (status === 400) return 'BadRequest';
  return status >= 500 ? 'ServiceUnavailable' : 'Unknown';
}

/**
 * Sign-up, its code and the resend go through the API's backend auth endpoints, not straight to
 * Cognito: the API replaces an unconfirmed holder of the address and checks at confirmation that
 * the code is used with the password of the account it confirms (ADR 0072). Errors are AuthErrors
 * carrying the API's own words (which never say whether an account exists).
 */
export class SignUpApi {
  private readonly fetchImpl: typeof fetch;

  constructor(
    /** The API's base URL without trailing slash; '' for same origin. */
    private readonly baseUrl: string,
    fetchImpl?: typeof fetch,
  ) {
    this.fetchImpl = fetchImpl ?? ((...args) => fetch(...args));
  }

  register(input: SignUpInput): Promise<void> {
    return this.post('register', {
      email: input.email,
      password: input.password,
      first_name: input.firstName.trim(),
      last_name: input.lastName.trim(),
      accept_terms: input.acceptTerms,
    });
  }

  confirm(email: string, code: string, password: string): Promise<void> {
    return this.post('verify-otp', { email, code, password });
  }

  resend(email: string): Promise<void> {
    return this.post('request-otp', { email, purpose: 'email_verification' });
  }

  private async post(route: string, body: object): Promise<void> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}/api/v1/auth/${route}`, {
        method: 'POST',
        headers: {
          accept: 'application/json, application/problem+json',
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    } catch {
      throw toAuthError(new TypeError('Network error'));
    }
    if (res.ok) return;
    const problem = await problemFrom(res);
    throw new AuthError(codeFor(res.status), problem.message);
  }
}
