/**
 * The IdP as a relying party of a pool's OIDC identity provider (CreateIdentityProvider, ProviderType
 * OIDC): discovery (or the endpoints given in ProviderDetails), the authorization-code flow with
 * PKCE, state and nonce, the token exchange and the ID token's verification against the provider's
 * JWKS, all through openid-client. ADR 0161.
 */
import type * as Oidc from 'openid-client';
import type { Ctx } from '../context.ts';
import type { IdentityProviderRecord } from '../store/state.ts';

/** Cognito cancels a federated sign-in that has not come back within five minutes. */
const pendingMs = 5 * 60_000;
/** Discovery answers are reused for a while; a changed provider (modifiedAt) is looked up again. */
const discoveryMs = 5 * 60_000;

export const idpResponsePath = '/oauth2/idpresponse';
export const idpResponseUri = (ctx: Ctx) => `${ctx.baseUrl}${idpResponsePath}`;

export interface PendingSignIn {
  poolId: string;
  providerName: string;
  /** The app's /oauth2/authorize parameters, to finish its request once the provider answers. */
  authorizeQuery: string;
  codeVerifier: string;
  nonce: string;
  expiresAt: number;
}

/** Loaded at the first federated sign-in: most starts never use it (ADR 0207). */
let client: Promise<typeof Oidc> | undefined;
export const openidClient = () => (client ??= import('openid-client'));

const pendingByCtx = new WeakMap<Ctx, Map<string, PendingSignIn>>();
const configs = new Map<string, { config: Oidc.Configuration; until: number }>();

const isLoopback = (u: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);

/** The provider's configuration: plain http only for a loopback provider (the mock one). */
async function providerConfig(ctx: Ctx, p: IdentityProviderRecord): Promise<Oidc.Configuration> {
  const oidc = await openidClient();
  const d = p.providerDetails;
  const key = `${d.oidc_issuer}|${d.client_id}|${p.modifiedAt}`;
  const cached = configs.get(key);
  if (cached && cached.until > ctx.clock()) return cached.config;
  const issuer = new URL(d.oidc_issuer!);
  const insecure = issuer.protocol === 'http:';
  if (insecure && !isLoopback(issuer)) throw new Error('an http issuer must be on loopback');
  const auth = d.client_secret ? oidc.ClientSecretPost(d.client_secret) : oidc.None();
  let config: Oidc.Configuration;
  if (d.authorize_url && d.token_url && d.jwks_uri) {
    config = new oidc.Configuration(
      {
        issuer: d.oidc_issuer!,
        authorization_endpoint: d.authorize_url,
        token_endpoint: d.token_url,
        jwks_uri: d.jwks_uri,
        ...(d.attributes_url ? { userinfo_endpoint: d.attributes_url } : {}),
      },
      d.client_id!,
      d.client_secret,
      auth,
    );
    if (insecure) oidc.allowInsecureRequests(config);
  } else {
    config = await oidc.discovery(issuer, d.client_id!, d.client_secret, auth, {
      execute: insecure ? [oidc.allowInsecureRequests] : [],
    });
  }
  configs.set(key, { config, until: ctx.clock() + discoveryMs });
  return config;
}

function pendingOf(ctx: Ctx) {
  const m = pendingByCtx.get(ctx) ?? new Map<string, PendingSignIn>();
  pendingByCtx.set(ctx, m);
  return m;
}

/** Where to send the browser: the provider's authorization endpoint, with a new state, nonce and PKCE pair. */
export async function providerAuthorizationUrl(
  ctx: Ctx,
  poolId: string,
  p: IdentityProviderRecord,
  authorizeQuery: string,
): Promise<string> {
  const [config, oidc] = await Promise.all([providerConfig(ctx, p), openidClient()]);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const pending = pendingOf(ctx);
  const now = ctx.clock();
  for (const [k, v] of pending) if (v.expiresAt < now) pending.delete(k);
  pending.set(state, {
    poolId,
    providerName: p.providerName,
    authorizeQuery,
    codeVerifier,
    nonce,
    expiresAt: now + pendingMs,
  });
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: idpResponseUri(ctx),
    scope: p.providerDetails.authorize_scopes!,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  }).href;
}

/** The sign-in a state belongs to (once: a state is never accepted twice), or undefined. */
export function takePending(ctx: Ctx, state: string | null): PendingSignIn | undefined {
  if (!state) return undefined;
  const pending = pendingOf(ctx);
  const found = pending.get(state);
  pending.delete(state);
  return found && found.expiresAt >= ctx.clock() ? found : undefined;
}

/**
 * Redeems the provider's code and returns the user's claims: the verified ID token's, completed by
 * the provider's userinfo answer when it has that endpoint (Cognito's attributes_url).
 */
export async function redeemProviderCode(
  ctx: Ctx,
  p: IdentityProviderRecord,
  pending: PendingSignIn,
  callbackUrl: URL,
  state: string,
): Promise<Record<string, unknown>> {
  const [config, oidc] = await Promise.all([providerConfig(ctx, p), openidClient()]);
  const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: pending.codeVerifier,
    expectedState: state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
  const claims: Record<string, unknown> = { ...tokens.claims() };
  if (config.serverMetadata().userinfo_endpoint) {
    const info = await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub));
    for (const [k, v] of Object.entries(info)) if (!(k in claims)) claims[k] = v;
  }
  return claims;
}
