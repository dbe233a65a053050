/**
 * The environment the pool's own triggers (functions/, ADR 0121) read when the local IdP runs them:
 * the SPA's URL for links in e-mails, and where the user's row goes — the API's database itself
 * when it is a server (DATABASE_URL), else the API's loopback provisioning endpoint, because only
 * the API's process can open its embedded PGlite (ADR 0155). On AWS CDK sets the same names.
 */
export interface FunctionsWiring {
  appUrl?: string;
  databaseUrl?: string;
  provisioning?: { url: string; token: string };
}

export function functionsEnv(w: FunctionsWiring): Record<string, string> {
  const env: Record<string, string> = {};
  if (w.appUrl) env.APP_URL = w.appUrl;
  if (w.databaseUrl) env.DATABASE_URL = w.databaseUrl;
  else if (w.provisioning) {
    env.USER_PROVISIONING_URL = w.provisioning.url;
    env.USER_PROVISIONING_TOKEN = w.provisioning.token;
  }
  return env;
}
