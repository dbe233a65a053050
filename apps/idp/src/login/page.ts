import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const css = `
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1d2433;--muted:#5b6475;--line:#cfd4dc;
--accent:#2f5bd3;--accent-text:#fff;--error:#b42318;--error-bg:#fef3f2;--ok:#05603a;--ok-bg:#ecfdf3}
@media (prefers-color-scheme:dark){:root{--bg:#12151c;--card:#1c212b;--text:#e8ebf0;--muted:#a3acbb;
--line:#3a4252;--accent:#7c9cf5;--accent-text:#0b1020;--error:#fda29b;--error-bg:#3a1d1b;--ok:#75e0a7;--ok-bg:#173425}}
*{box-sizing:border-box}body{margin:0;min-height:100vh;display:grid;place-items:center;background:var(--bg);
color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:1rem}
main{width:100%;max-width:26rem;background:var(--card);border:1px solid var(--line);border-radius:12px;
padding:2rem 1.5rem;box-shadow:0 1px 3px rgb(0 0 0/.08)}
h1{font-size:1.5rem;margin:0 0 .25rem}p.lead{color:var(--muted);margin:0 0 1.5rem}
label{display:block;font-weight:600;margin:1rem 0 .35rem}
input{width:100%;font:inherit;padding:.65rem .75rem;border:1px solid var(--line);border-radius:8px;
background:transparent;color:inherit}input:focus-visible,button:focus-visible,a:focus-visible{
outline:3px solid var(--accent);outline-offset:2px}
.hint{color:var(--muted);font-size:.875rem;margin:.35rem 0 0}
input[type=radio]{width:auto;margin-right:.5rem}fieldset{border:0;padding:0;margin:1rem 0 0}
button{width:100%;margin-top:1.5rem;font:inherit;font-weight:600;padding:.75rem;border:0;border-radius:8px;
background:var(--accent);color:var(--accent-text);cursor:pointer}
button.secondary{background:transparent;color:var(--accent);border:1px solid var(--accent);margin-top:.75rem}
button.link{background:none;color:var(--accent);width:auto;margin:0;padding:0;text-decoration:underline;font-weight:400}
.alert{padding:.75rem 1rem;border-radius:8px;margin:0 0 1rem;background:var(--error-bg);color:var(--error)}
.notice{padding:.75rem 1rem;border-radius:8px;margin:0 0 1rem;background:var(--ok-bg);color:var(--ok)}
nav{margin-top:1.5rem;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;justify-content:space-between}
a{color:var(--accent)}footer{margin-top:1.5rem;color:var(--muted);font-size:.8rem;text-align:center}
`;

export interface PageOptions {
  title: string;
  lead?: string;
  error?: string;
  notice?: string;
  body: string;
  status?: number;
  headers?: Record<string, string | string[]>;
  /** An inline script under the same nonce (the passkey step only: WebAuthn needs the browser's API). */
  script?: string;
}

/**
 * One server-rendered page: styles (and the passkey step's one script) under a per-response nonce,
 * no other scripts, never framed, never cached.
 * Errors are announced (role=alert) and inputs carry labels and autocomplete hints.
 */
export function sendPage(res: ServerResponse, o: PageOptions) {
  const nonce = randomBytes(16).toString('base64');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(o.title)} · Local IdP</title><style nonce="${nonce}">${css}</style></head>
<body><main>
<h1>${esc(o.title)}</h1>${o.lead ? `<p class="lead">${esc(o.lead)}</p>` : ''}
${o.error ? `<div class="alert" role="alert" id="form-error">${esc(o.error)}</div>` : ''}
${o.notice ? `<div class="notice" role="status">${esc(o.notice)}</div>` : ''}
${o.body}
<footer>Local Cognito-compatible IdP · development only</footer>
</main>${o.script ? `<script nonce="${nonce}">${o.script}</script>` : ''}</body></html>`;
  const scriptSrc = o.script ? `; script-src 'nonce-${nonce}'` : '';
  res.writeHead(o.status ?? 200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'${scriptSrc}; base-uri 'none'; frame-ancestors 'none'`,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...o.headers,
  });
  res.end(html);
}

export interface Field {
  name: string;
  label: string;
  type?: string;
  autocomplete: string;
  value?: string;
  hint?: string;
  required?: boolean;
  inputmode?: string;
}

export function field(f: Field, invalid: boolean) {
  const id = `f-${f.name}`;
  const described = [f.hint ? `${id}-hint` : '', invalid ? 'form-error' : ''].filter(Boolean).join(' ');
  return `<label for="${id}">${esc(f.label)}</label>
<input id="${id}" name="${esc(f.name)}" type="${f.type ?? 'text'}" autocomplete="${f.autocomplete}"${
    f.value ? ` value="${esc(f.value)}"` : ''
  }${f.required === false ? '' : ' required'}${f.inputmode ? ` inputmode="${f.inputmode}"` : ''}${
    described ? ` aria-describedby="${described}"` : ''
  }${invalid ? ' aria-invalid="true"' : ''}>${f.hint ? `<p class="hint" id="${id}-hint">${esc(f.hint)}</p>` : ''}`;
}

/** A POST form to `action` with its CSRF token and the given hidden values. */
export function form(
  action: string,
  csrf: string,
  hidden: Record<string, string>,
  inner: string,
  submit: string,
) {
  const hiddenInputs = Object.entries(hidden)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  return `<form method="post" action="${esc(action)}" novalidate><input type="hidden" name="_csrf" value="${esc(csrf)}">${hiddenInputs}${inner}<button type="submit">${esc(submit)}</button></form>`;
}

export const link = (href: string, text: string) => `<a href="${esc(href)}">${esc(text)}</a>`;
