import { type UserPoolDefinition, userPoolDefinition } from './schema.ts';

/** Where the command-line client's managed login returns: loopback, one fixed port (ADR 0197). */
export const CLI_CALLBACK_URL = 'http://localhost:53682/callback';

const standardLifetimes = { accessTokenMinutes: 60, idTokenMinutes: 60, refreshTokenDays: 30 };

/**
 * The pool this system runs on, locally and on AWS. See docs/decisions/0004-password-policy-length-over-composition.md
 * for why length beats composition rules, and 0005 for why there are two clients.
 */
export const definition: UserPoolDefinition = userPoolDefinition.parse({
  poolName: 'app-users',
  usernameAttributes: ['email'],
  autoVerifiedAttributes: ['email'],
  // An unverified new address must not sign in or be reserved (issue 8 item 7, ADR 0078).
  attributesRequireVerificationBeforeUpdate: ['email'],
  passwordPolicy: {
    minimumLength: 12,
    requireLowercase: false,
    requireUppercase: false,
    requireNumbers: false,
    requireSymbols: false,
    temporaryPasswordValidityDays: 7,
  },
  schema: [
    { name: 'email', attributeDataType: 'String', required: true, mutable: true },
    { name: 'name', attributeDataType: 'String', required: false, mutable: true },
  ],
  groups: [
    { groupName: 'admin', description: 'Administrators: user and group management', precedence: 0 },
    { groupName: 'editor', description: 'May manage shared content', precedence: 10 },
  ],
  clients: [
    {
      key: 'web',
      clientName: 'web-spa',
      generateSecret: false,
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      tokenValidity: standardLifetimes,
      // The SPA's hosted-page sign-in returns to /auth/callback and signs out back to / (ADR 0140);
      // the stacks add their own web URLs to these (packages/stack's hostedUiAppUrls).
      callbackUrls: ['http://localhost:5173/auth/callback'],
      logoutUrls: ['http://localhost:5173/'],
      // The hosted-page sign-in's tokens serve the account page's GetUser/ChangePassword like SRP's.
      oauthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
    },
    {
      key: 'backend',
      clientName: 'backend-api',
      generateSecret: true,
      // USER_AUTH: the API's login without a password, choosing an e-mailed code instead (ADR 0141).
      explicitAuthFlows: [
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      tokenValidity: standardLifetimes,
      callbackUrls: [],
      logoutUrls: [],
    },
    {
      // The command-line client's `login --web` (packages/cli): code + PKCE through the managed login,
      // back to a fixed loopback port, since Cognito matches the callback's port exactly (ADR 0197).
      key: 'cli',
      clientName: 'cli',
      generateSecret: false,
      explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      tokenValidity: standardLifetimes,
      nativeApp: true,
      callbackUrls: [CLI_CALLBACK_URL],
      logoutUrls: [],
      oauthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
    },
  ],
  // Users may add an authenticator app; nobody is forced to (ADR 0116).
  mfaConfiguration: 'OPTIONAL',
  mfaFactors: ['SOFTWARE_TOKEN_MFA'],
  // Without a password: an e-mailed code as the first factor (USER_AUTH, ADR 0141).
  allowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'],
  // Passkey settings, ready for WEB_AUTHN as a first factor (not yet on: ADR 0142).
  passkeys: { userVerification: 'preferred' },
  deletionProtection: true,
  domainPrefix: 'app-users-auth',
  // Machine-to-machine access: a client-credentials client with a custom scope (ADR 0083).
  resourceServers: [
    {
      identifier: 'app-api',
      name: 'App API',
      scopes: [{ name: 'items.read', description: 'Read every item (machine clients, read-only)' }],
    },
  ],
  machineClients: [
    { key: 'machine', clientName: 'machine-reader', scopes: ['app-api/items.read'], accessTokenMinutes: 60 },
  ],
  // "Sign in with Google": locally the mock provider plays it as MockGoogle (ADR 0160, 0162).
  oidcProvider: {
    localName: 'MockGoogle',
    authorizeScopes: 'openid email profile',
    attributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name' },
  },
  // The project's own triggers (functions/, ADR 0121): branded mails, address rules, the user's row
  // at confirmation, the plan claim.
  triggers: {
    preSignUp: 'pre-sign-up',
    customMessage: 'custom-message',
    postConfirmation: 'post-confirmation',
    preTokenGeneration: 'pre-token-generation',
  },
  preTokenGenerationVersion: 'V2_0',
  emailSendingAccount: 'DEVELOPER',
});

/** The browser's public client (the SPA's clientId): public and not a native app. */
export function webClient(def: UserPoolDefinition) {
  const client = def.clients.find((c) => !c.generateSecret && !c.nativeApp);
  if (!client) throw new Error('pool definition has no public browser client');
  return client;
}

/** The command-line client (a native app with its own loopback callback), if the pool has one. */
export function nativeClient(def: UserPoolDefinition) {
  return def.clients.find((c) => c.nativeApp);
}

export function clientByKey(def: UserPoolDefinition, key: string) {
  const client = def.clients.find((c) => c.key === key);
  if (!client) throw new Error(`pool definition has no client with key "${key}"`);
  return client;
}

/**
 * The pool's passkey user verification, or undefined when passkeys are not configured: the
 * definition's setting, else `preferred` (Cognito's default) when WEB_AUTHN is a first factor. ADR 0142.
 */
export function passkeyUserVerification(def: UserPoolDefinition): 'required' | 'preferred' | undefined {
  if (def.passkeys) return def.passkeys.userVerification;
  return def.allowedFirstAuthFactors.includes('WEB_AUTHN') ? 'preferred' : undefined;
}
