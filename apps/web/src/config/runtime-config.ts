/**
 * What `/config.json` holds: the values a deployment hands the one build. Written by one function,
 * `webConfig()` in packages/stack (the local stack, e2e, compose and CDK all call it).
 */
export interface RuntimeConfig {
  userPoolId: string;
  clientId: string;
  region: string;
  /** Absolute URL of the API, or '' for the SPA's own origin (CloudFront forwards /api/*). */
  apiUrl: string;
  /** Only for a Cognito-compatible endpoint other than AWS (the local IdP). */
  cognitoEndpoint?: string;
  /**
   * Origin of the attachments' file server (the S3 bucket, or the local s3rver): the SPA PUTs
   * uploads to, and shows thumbnails from, its presigned URLs. Absent: no attachments.
   */
  filesUrl?: string;
  /** The managed login ("Sign in with the hosted page"); absent: the SPA offers only its own form. */
  hostedUi?: HostedUiConfig;
  /**
   * Not the SPA's: the command-line client's public client id, so `cognito-stack login --web
   * --web-url <this site>` finds it (with `hostedUi.url` and `apiUrl`). ADR 0197.
   */
  cliClientId?: string;
  /**
   * What the pool offers beyond the password and the authenticator app (ADR 0145): codes by e-mail
   * as MFA, and choice-based sign-in (USER_AUTH: passkeys, e-mailed codes). Absent: both are tried.
   */
  signInOptions?: SignInOptions;
}

export interface SignInOptions {
  /** The pool offers e-mail codes as a second step (the definition's mfaFactors has EMAIL_OTP). */
  emailMfa: boolean;
  /** The SPA's client may use USER_AUTH (ALLOW_USER_AUTH): "Use a passkey or an e-mailed code", passkeys. */
  choiceSignIn: boolean;
}

/** Cognito's managed login for the SPA's public client (authorization code + PKCE, ADR 0140). */
export interface HostedUiConfig {
  /** Origin of the user pool domain (`https://<prefix>.auth.<region>.amazoncognito.com`, or the local IdP's). */
  url: string;
  /** Scopes asked for: the client's AllowedOAuthScopes from the pool definition. */
  scopes: string[];
  /** Registered callback URLs; the SPA uses the one on its own origin (as Amplify does), else the first. */
  redirectSignIn: string[];
  /** Registered sign-out URLs (`logout_uri`), chosen the same way. */
  redirectSignOut: string[];
  /**
   * External identity providers the client offers ("Sign in with <name>"): the button sends
   * `identity_provider=<name>`, so the managed login goes straight to that provider (ADR 0162).
   */
  identityProviders?: string[];
}

/** The SPA's route the managed login returns to with the code: its callback URLs end in it. */
export const HOSTED_UI_CALLBACK_PATH = '/auth/callback';
