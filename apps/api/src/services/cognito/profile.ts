import {
  type CognitoIdentityProviderClient,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ProfileSource } from '../users.ts';

/** GetUser with the caller's own access token: needs no IAM rights and only sees the caller. */
export class CognitoProfileSource implements ProfileSource {
  constructor(private readonly cognito: CognitoIdentityProviderClient) {}

  async getProfile(accessToken: string): Promise<{ email: string | null; name: string | null }> {
    const out = await this.cognito.send(new GetUserCommand({ AccessToken: accessToken }));
    const attr = (name: string) => out.UserAttributes?.find((a) => a.Name === name)?.Value ?? null;
    // An unverified address (a change not yet confirmed) is not the account's address (ADR 0072).
    return { email: attr('email_verified') === 'true' ? attr('email') : null, name: attr('name') };
  }
}
