import { escapeHtml } from '../mail/page.ts';
import type { Invocation } from './log.ts';

const json = (v: unknown) => escapeHtml(JSON.stringify(v, null, 2));

/** /_dev/triggers: every invocation, newest first, with the event sent and the answer or error. */
export function triggersPage(invocations: Invocation[], filter: { trigger?: string; user?: string }): string {
  const rows = invocations
    .map(
      (
        i,
      ) => `<article class="${i.error ? 'failed' : 'ok'}"><header><strong>${escapeHtml(i.triggerSource)}</strong>
<small>${escapeHtml(i.functionArn)} · runs as ${escapeHtml(i.runs)} · ${i.durationMs} ms · ${i.attempts} attempt${i.attempts === 1 ? '' : 's'} · ${escapeHtml(i.at)}</small></header>
${i.error ? `<p class="error">${escapeHtml(i.error)}</p>` : ''}
<details><summary>event</summary><pre>${json(i.event)}</pre></details>
${i.error ? '' : `<details open><summary>response</summary><pre>${json(i.response)}</pre></details>`}</article>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Trigger invocations</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px system-ui;max-width:60rem;margin:2rem auto;padding:0 1rem;overflow-wrap:anywhere}
article{border:1px solid #ccc;border-left:4px solid #3a3;border-radius:6px;padding:.5rem 1rem;margin:.75rem 0}
article.failed{border-left-color:#c33}.error{color:#a00}small{color:#555;margin-left:.5rem}
pre{background:#f6f6f8;padding:.5rem;overflow-x:auto;font-size:13px}</style></head>
<body><nav><a href="/">IdP home</a> · <a href="/_dev/mailbox">Dev mailbox</a></nav>
<main><h1>Trigger invocations</h1>
<p><small>Newest first, since the IdP started (kept in memory). Passwords in UserMigration events are not shown.</small></p>
<form><label>Trigger <input name="trigger" value="${escapeHtml(filter.trigger ?? '')}" placeholder="PreSignUp"></label>
<label>User <input name="user" value="${escapeHtml(filter.user ?? '')}"></label> <button>Filter</button></form>
${rows || "<p>No invocations yet. Triggers run when the pool's LambdaConfig names a function that --functions maps.</p>"}
<p><small>JSON: <a href="?format=json">?format=json</a></small></p></main></body></html>`;
}
