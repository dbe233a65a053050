import { type AppClient, passkeyUserVerification, type UserPoolDefinition } from '@app/pool-definition';
import { hostedUiAppUrls } from '@app/stack/wiring';
import { Duration, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { OidcProviderConfig, ThreatProtection } from '../config.ts';
import { uniqueName } from '../unique-name.ts';

const standardAttributeKeys: Record<string, keyof cognito.StandardAttributes> = {
  email: 'email',
  name: 'fullname',
  given_name: 'givenName',
  family_name: 'familyName',
  phone_number: 'phoneNumber',
  locale: 'locale',
  picture: 'profilePicture',
  preferred_username: 'preferredUsername',
};

const mfaModes = { OFF: cognito.Mfa.OFF, OPTIONAL: cognito.Mfa.OPTIONAL, ON: cognito.Mfa.REQUIRED } as const;

export interface UserPoolProps {
  readonly definition: UserPoolDefinition;
  readonly envName: string;
  readonly threatProtection: ThreatProtection;
  /**
   * Hosted UI prefix. Prefixes are global across AWS, so by default the definition's prefix gets the
   * environment and a piece of the stack's own id appended: unique per stack, stable for its life.
   */
  readonly domainPrefix?: string;
  /** Send Cognito's mail through SES (the default sender allows a few dozen mails a day). */
  readonly email?: { readonly from: string; readonly replyTo?: string; readonly sesVerifiedDomain?: string };
  /**
   * The deployed SPA's base URLs: the public client gets their hosted-UI callback (`/auth/callback`)
   * and sign-out (`/`) URLs (packages/stack's hostedUiAppUrls, ADR 0140).
   */
  readonly webUrls?: string[];
  /** The passkey relying-party id (the web app's domain); set only when the pool has passkeys. */
  readonly passkeyRelyingPartyId?: string;
  /**
   * An external OIDC provider (context `oidcProvider*`, ADR 0162): its location and client from
   * configuration, scopes and attribute mapping from the definition's `oidcProvider`.
   */
  readonly oidcProvider?: OidcProviderConfig;
}

/** Token validity in Cognito's units; whole days stay days so the template reads like the definition. */
function refreshValidity(days: number): { value: number; unit: 'days' | 'minutes' } {
  return Number.isInteger(days)
    ? { value: days, unit: 'days' }
    : { value: Math.round(days * 1440), unit: 'minutes' };
}

/**
 * The Cognito user pool, built field by field from the shared pool definition. Clients are L1
 * resources on purpose: the L2 adds flows (ALLOW_REFRESH_TOKEN_AUTH) and defaults on its own, and
 * the definition must map onto the template exactly.
 */
export class AppUserPool extends Construct {
  readonly userPool: cognito.UserPool;
  readonly clients: Record<string, cognito.CfnUserPoolClient> = {};
  /** Client-credentials clients by key, with the resource servers whose scopes they hold (ADR 0083). */
  readonly machineClients: Record<string, cognito.CfnUserPoolClient> = {};
  readonly domain: cognito.UserPoolDomain;
  /** The managed login's base URL (`https://<prefix>.auth.<region>.amazoncognito.com`). */
  readonly hostedUiUrl: string;
  /** The confidential client's secret, copied into Secrets Manager for the API task. */
  readonly backendClientSecret: secretsmanager.Secret;
  /** The external providers the hosted-UI clients offer besides COGNITO (config.json's identityProviders). */
  readonly identityProviders: string[] = [];
  private readonly oidcProvider?: cognito.UserPoolIdentityProviderOidc;
  private readonly nativeKeys: Set<string>;

  constructor(scope: Construct, id: string, props: UserPoolProps) {
    super(scope, id);
    const def = props.definition;
    this.nativeKeys = new Set(def.clients.filter((c) => c.nativeApp).map((c) => c.key));
    const standardAttributes: Record<string, cognito.StandardAttribute> = {};
    const customAttributes: Record<string, cognito.ICustomAttribute> = {};
    for (const attr of def.schema) {
      const key = standardAttributeKeys[attr.name];
      if (key) {
        standardAttributes[key] = { required: attr.required, mutable: attr.mutable };
      } else if (attr.required) {
        throw new Error(`custom attribute "${attr.name}" cannot be required in Cognito`);
      } else {
        customAttributes[attr.name] = customAttribute(attr.attributeDataType, attr.mutable);
      }
    }
    const threat = props.threatProtection;
    const uv = passkeyUserVerification(def);
    this.userPool = new cognito.UserPool(this, 'Pool', {
      userPoolName: `${def.poolName}-${props.envName}`,
      selfSignUpEnabled: true,
      signInAliases: {
        email: def.usernameAttributes.includes('email'),
        phone: def.usernameAttributes.includes('phone_number'),
      },
      signInCaseSensitive: false,
      autoVerify: {
        email: def.autoVerifiedAttributes.includes('email'),
        phone: def.autoVerifiedAttributes.includes('phone_number'),
      },
      // AttributesRequireVerificationBeforeUpdate: an unverified new e-mail neither signs in nor
      // reserves the address; the old one stays until the code is verified (ADR 0078).
      ...(def.attributesRequireVerificationBeforeUpdate.length > 0
        ? {
            keepOriginal: {
              email: def.attributesRequireVerificationBeforeUpdate.includes('email'),
              phone: def.attributesRequireVerificationBeforeUpdate.includes('phone_number'),
            },
          }
        : {}),
      passwordPolicy: {
        minLength: def.passwordPolicy.minimumLength,
        requireLowercase: def.passwordPolicy.requireLowercase,
        requireUppercase: def.passwordPolicy.requireUppercase,
        requireDigits: def.passwordPolicy.requireNumbers,
        requireSymbols: def.passwordPolicy.requireSymbols,
        tempPasswordValidity: Duration.days(def.passwordPolicy.temporaryPasswordValidityDays),
      },
      standardAttributes,
      customAttributes,
      mfa: mfaModes[def.mfaConfiguration],
      ...(def.mfaConfiguration === 'OFF'
        ? {}
        : {
            mfaSecondFactor: {
              otp: def.mfaFactors.includes('SOFTWARE_TOKEN_MFA'),
              sms: false,
              email: def.mfaFactors.includes('EMAIL_OTP'),
            },
          }),
      // Choice-based sign-in (USER_AUTH, ADR 0141): the definition's first factors; an e-mailed code
      // only when mail goes through SES (Cognito refuses e-mail OTP with its own sender).
      signInPolicy: {
        allowedFirstAuthFactors: {
          password: true,
          emailOtp: def.allowedFirstAuthFactors.includes('EMAIL_OTP') && Boolean(props.email),
          passkey: def.allowedFirstAuthFactors.includes('WEB_AUTHN'),
        },
      },
      // Passkeys (WebAuthnConfiguration, ADR 0142): only when the definition has them.
      ...(uv
        ? {
            passkeyUserVerification:
              uv === 'required'
                ? cognito.PasskeyUserVerification.REQUIRED
                : cognito.PasskeyUserVerification.PREFERRED,
            ...(props.passkeyRelyingPartyId ? { passkeyRelyingPartyId: props.passkeyRelyingPartyId } : {}),
          }
        : {}),
      accountRecovery:
        def.accountRecovery === 'admin_only'
          ? cognito.AccountRecovery.NONE
          : cognito.AccountRecovery.EMAIL_ONLY,
      ...(props.email
        ? {
            email: cognito.UserPoolEmail.withSES({
              fromEmail: props.email.from,
              ...(props.email.replyTo ? { replyTo: props.email.replyTo } : {}),
              ...(props.email.sesVerifiedDomain ? { sesVerifiedDomain: props.email.sesVerifiedDomain } : {}),
            }),
          }
        : {}),
      deletionProtection: def.deletionProtection,
      removalPolicy: def.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      featurePlan: threat === 'OFF' ? cognito.FeaturePlan.ESSENTIALS : cognito.FeaturePlan.PLUS,
      ...(threat === 'OFF'
        ? {}
        : {
            standardThreatProtectionMode:
              threat === 'ENFORCED'
                ? cognito.StandardThreatProtectionMode.FULL_FUNCTION
                : cognito.StandardThreatProtectionMode.AUDIT_ONLY,
          }),
    });

    for (const g of def.groups) {
      new cognito.CfnUserPoolGroup(this, `Group-${g.groupName}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: g.groupName,
        description: g.description,
        precedence: g.precedence,
      });
    }

    if (props.oidcProvider) this.oidcProvider = this.addOidcProvider(def, props.oidcProvider);
    for (const c of def.clients) this.clients[c.key] = this.addClient(c, props.webUrls ?? []);

    const servers = def.resourceServers.map(
      (r) =>
        new cognito.CfnUserPoolResourceServer(this, `ResourceServer-${r.identifier}`, {
          userPoolId: this.userPool.userPoolId,
          identifier: r.identifier,
          name: r.name,
          scopes: r.scopes.map((s) => ({ scopeName: s.name, scopeDescription: s.description })),
        }),
    );
    for (const m of def.machineClients) {
      const client = new cognito.CfnUserPoolClient(this, `MachineClient-${m.key}`, {
        userPoolId: this.userPool.userPoolId,
        clientName: m.clientName,
        generateSecret: true,
        explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        preventUserExistenceErrors: 'ENABLED',
        enableTokenRevocation: true,
        accessTokenValidity: m.accessTokenMinutes,
        tokenValidityUnits: { accessToken: 'minutes' },
        allowedOAuthFlowsUserPoolClient: true,
        allowedOAuthFlows: ['client_credentials'],
        allowedOAuthScopes: [...m.scopes],
      });
      // Its scopes exist only once their resource servers do.
      for (const s of servers) client.addResourceDependency(s);
      this.machineClients[m.key] = client;
    }

    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? uniqueName(def.domainPrefix, props.envName) },
    });
    this.hostedUiUrl = this.domain.baseUrl();

    const backend = def.clients.find((c) => c.generateSecret);
    const backendCfn = backend ? this.clients[backend.key] : undefined;
    if (!backend || !backendCfn) throw new Error('pool definition has no confidential (secret) client');
    // GetAtt ClientSecret: the value never appears in the template, only a reference to it.
    this.backendClientSecret = new secretsmanager.Secret(this, 'BackendClientSecret', {
      description: `Cognito client secret of "${backend.clientName}" (COGNITO_AUTH_CLIENT_SECRET)`,
      secretStringValue: SecretValue.resourceAttribute(backendCfn.attrClientSecret),
    });
  }

  private addOidcProvider(def: UserPoolDefinition, cfg: OidcProviderConfig) {
    const mapping = def.oidcProvider;
    if (!mapping)
      throw new Error("context oidcProvider* needs the pool definition's oidcProvider (scopes, mapping)");
    this.identityProviders.push(cfg.name);
    return new cognito.UserPoolIdentityProviderOidc(this, 'OidcProvider', {
      userPool: this.userPool,
      name: cfg.name,
      issuerUrl: cfg.issuerUrl,
      clientId: cfg.clientId,
      // A {{resolve:secretsmanager:…}} reference: CloudFormation reads the secret at deploy time, the
      // template never holds it (this CDK version takes the secret as a string only).
      clientSecret: SecretValue.secretsManager(cfg.clientSecretName).unsafeUnwrap(),
      scopes: mapping.authorizeScopes.split(/\s+/).filter(Boolean),
      attributeRequestMethod: cognito.OidcAttributeRequestMethod.GET,
      // Pool attribute names as the definition has them (custom: the L2 passes keys through as is).
      attributeMapping: {
        custom: Object.fromEntries(
          Object.entries(mapping.attributeMapping).map(([pool, claim]) => [
            pool,
            cognito.ProviderAttribute.other(claim),
          ]),
        ),
      },
    });
  }

  private addClient(c: AppClient, webUrls: string[]): cognito.CfnUserPoolClient {
    const refresh = refreshValidity(c.tokenValidity.refreshTokenDays);
    // Only the browser's hosted-UI client gets the deployed web origin; a native app (the CLI) keeps
    // exactly its own loopback callback (ADR 0197).
    const app = hostedUiAppUrls(c.nativeApp ? [] : webUrls);
    const callbacks = c.callbackUrls.length > 0 ? [...c.callbackUrls, ...app.callbackUrls] : [];
    const logouts = c.logoutUrls.length > 0 ? [...c.logoutUrls, ...app.logoutUrls] : [];
    const oauth = callbacks.length > 0;
    const client = new cognito.CfnUserPoolClient(this, `Client-${c.key}`, {
      userPoolId: this.userPool.userPoolId,
      clientName: c.clientName,
      generateSecret: c.generateSecret,
      explicitAuthFlows: [...c.explicitAuthFlows],
      preventUserExistenceErrors: c.preventUserExistenceErrors,
      enableTokenRevocation: c.enableTokenRevocation,
      accessTokenValidity: c.tokenValidity.accessTokenMinutes,
      idTokenValidity: c.tokenValidity.idTokenMinutes,
      refreshTokenValidity: refresh.value,
      tokenValidityUnits: { accessToken: 'minutes', idToken: 'minutes', refreshToken: refresh.unit },
      readAttributes: c.readAttributes,
      writeAttributes: c.writeAttributes,
      // The hosted-UI clients offer the external provider, as locally (ADR 0162).
      supportedIdentityProviders: ['COGNITO', ...(oauth ? this.identityProviders : [])],
      refreshTokenRotation: {
        feature: c.refreshTokenRotation.enabled ? 'ENABLED' : 'DISABLED',
        retryGracePeriodSeconds: c.refreshTokenRotation.retryGracePeriodSeconds,
      },
      ...(oauth
        ? {
            allowedOAuthFlowsUserPoolClient: true,
            allowedOAuthFlows: ['code'],
            allowedOAuthScopes: [...c.oauthScopes],
            callbackUrLs: callbacks,
            logoutUrLs: logouts,
          }
        : {}),
    });
    // A client may name a provider only once it exists.
    if (oauth && this.oidcProvider) client.node.addDependency(this.oidcProvider);
    return client;
  }

  /**
   * Adds the deployed SPA's callback and sign-out URLs to every client that uses the hosted UI, but
   * not to a native app (the CLI), whose callback is its own loopback redirect (ADR 0197).
   */
  addHostedUiUrls(webUrls: string[]): void {
    const app = hostedUiAppUrls(webUrls);
    for (const [key, client] of Object.entries(this.clients)) {
      if (this.nativeKeys.has(key)) continue;
      const callbacks = client.callbackUrLs;
      if (!callbacks || callbacks.length === 0) continue;
      client.callbackUrLs = [...new Set([...callbacks, ...app.callbackUrls])];
      client.logoutUrLs = [...new Set([...(client.logoutUrLs ?? []), ...app.logoutUrls])];
    }
  }

  get machineClientIds(): string[] {
    return Object.values(this.machineClients).map((c) => c.ref);
  }

  hasClient(key: string): boolean {
    return key in this.clients;
  }

  clientId(key: string): string {
    const client = this.clients[key];
    if (!client) throw new Error(`user pool has no client with key "${key}"`);
    return client.ref;
  }

  get issuer(): string {
    return `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}

function customAttribute(type: string, mutable: boolean): cognito.ICustomAttribute {
  switch (type) {
    case 'Number':
      return new cognito.NumberAttribute({ mutable });
    case 'Boolean':
      return new cognito.BooleanAttribute({ mutable });
    case 'DateTime':
      return new cognito.DateTimeAttribute({ mutable });
    default:
      return new cognito.StringAttribute({ mutable });
  }
}
