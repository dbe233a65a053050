import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestIdp } from './helpers.ts';

export const callback = 'http://localhost:3000/callback';
export const signedOut = 'http://localhost:3000/';

/** A resource server with one custom scope, and the three kinds of OAuth client, made through the SDK. */
export async function oauthClients(t: TestIdp) {
  const UserPoolId = t.idp.pool.poolId;
  await t.cognito.send(
    new CreateResourceServerCommand({
      UserPoolId,
      Identifier: 'api',
      Name: 'api',
      Scopes: [
        { ScopeName: 'items.read', ScopeDescription: 'Read items' },
        { ScopeName: 'items.write', ScopeDescription: 'Write items' },
      ],
    }),
  );
  const make = async (input: Omit<CreateUserPoolClientCommandInput, 'UserPoolId'>) => {
    const c = (await t.cognito.send(new CreateUserPoolClientCommand({ UserPoolId, ...input })))
      .UserPoolClient!;
    return { clientId: c.ClientId!, clientSecret: c.ClientSecret };
  };
  const user: Omit<CreateUserPoolClientCommandInput, 'UserPoolId' | 'ClientName'> = {
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code', 'implicit'],
    AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
    CallbackURLs: [callback],
    LogoutURLs: [signedOut],
    SupportedIdentityProviders: ['COGNITO'],
  };
  return {
    spa: await make({ ClientName: 'spa', ...user, AllowedOAuthFlows: ['code', 'implicit'] }),
    server: await make({
      ClientName: 'server',
      GenerateSecret: true,
      ...user,
      AllowedOAuthFlows: ['code'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
    }),
    machine: await make({
      ClientName: 'machine',
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['api/items.read', 'api/items.write'],
    }),
  };
}

/** A minimal browser: follows nothing by itself, keeps cookies, reads forms. */
export class FormBrowser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async get(url: string) {
    return this.request(url, { method: 'GET' });
  }

  async post(url: string, fields: Record<string, string>) {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  private async request(url: string, init: RequestInit) {
    const res = await fetch(new URL(url, this.base), {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: this.cookieHeader() },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim()];
      if (attrs.some((a) => /max-age=0/i.test(a.trim()))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      status: res.status,
      location: res.headers.get('location') ?? '',
      text: await res.text(),
      headers: res.headers,
    };
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** The form's action and its hidden inputs (the CSRF token among them). */
  static form(html: string) {
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    if (!action) throw new Error(`no form in page: ${html.slice(0, 300)}`);
    const hidden: Record<string, string> = {};
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
      hidden[m[1]!] = m[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
    return { action, hidden };
  }

  /** From an authorization URL to the callback URL with the code: the login form filled in. */
  async signIn(authorizeUrl: string, username: string, password: string): Promise<string> {
    const start = await this.get(authorizeUrl);
    if (start.status !== 302) throw new Error(`authorize answered ${start.status}`);
    if (!start.location.startsWith('/login')) return start.location;
    const page = await this.get(start.location);
    const { action, hidden } = FormBrowser.form(page.text);
    const done = await this.post(action, { ...hidden, username, password });
    if (done.status !== 302) throw new Error(`login answered ${done.status}: ${done.text.slice(0, 500)}`);
    return done.location;
  }
}
