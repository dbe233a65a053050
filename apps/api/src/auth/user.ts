/** The caller, as established by a verified Cognito access token. Set on `request.user` by the guards. */
export interface AuthenticatedUser {
  /**
   * `user`: a person's token (sign-in or authorization code). `machine`: a client-credentials token of
   * one of COGNITO_MACHINE_CLIENT_IDS, whose `sub` is the client id; only requireScopes() routes take it.
   */
  kind: 'user' | 'machine';
  sub: string;
  username: string;
  /** From `cognito:groups` (empty when the user is in no group). */
  groups: string[];
  /** From the space-separated `scope` claim. */
  scopes: string[];
  clientId: string;
  jti: string;
  /** `origin_jti`: shared by every token minted from one authentication (refreshes included). */
  originJti?: string;
  /** Epoch seconds. */
  exp: number;
  iat: number;
  authTime?: number;
  /** The `plan` claim the PreTokenGeneration trigger adds from the database (ADR 0122). */
  plan?: 'free' | 'pro';
  /** `device_key`: the tracked device the session signed in on (Cognito device tracking). */
  deviceKey?: string;
  /** The raw access token, for calling Cognito on the user's behalf (GetUser, GlobalSignOut...). Never log it. */
  accessToken: string;
}
