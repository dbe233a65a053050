import { escapeHtml } from './mail/page.ts';

/**
 * GET / in a browser: what this server is and where a developer goes next (the dev mailbox, each
 * pool's discovery document), instead of a bare 404. POST / stays the Cognito JSON API.
 */
export function homePage(baseUrl: string, poolIds: string[]): string {
  const pools = poolIds
    .map((id) => {
      const discovery = `${baseUrl}/${id}/.well-known/openid-configuration`;
      return `<li><code>${escapeHtml(id)}</code>: <a href="${escapeHtml(discovery)}">${escapeHtml(discovery)}</a></li>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local IdP</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px system-ui;max-width:48rem;margin:2rem auto;padding:0 1rem;overflow-wrap:anywhere}</style></head>
<body><main><h1>Local Cognito-compatible IdP</h1>
<p>This server answers the Cognito user-pool API (<code>POST /</code> with <code>X-Amz-Target</code>) for local development. It sends no e-mail.</p>
<ul>
<li><a href="/_dev/mailbox">Dev mailbox</a>: the codes and temporary passwords it would have e-mailed.</li>
<li><a href="/health">Health</a></li>
</ul>
<h2>Discovery (OpenID configuration)</h2>
${pools ? `<ul>${pools}</ul>` : '<p>No user pool yet.</p>'}
</main></body></html>`;
}
