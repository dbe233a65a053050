import type { MailMessage } from '../store/state.ts';

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Codes that a newer message of the same kind to the same address has replaced (only the newest one
 * works): `messages` come newest first.
 */
function supersededIds(messages: MailMessage[]): Set<string> {
  const seen = new Set<string>();
  const superseded = new Set<string>();
  for (const m of messages) {
    const key = `${m.kind}\u0000${m.to}`;
    if (seen.has(key)) superseded.add(m.id);
    seen.add(key);
  }
  return superseded;
}

// Copy buttons: the code goes to the clipboard (localhost is a secure context), the button says so.
const copyScript = `document.addEventListener('click',function(e){var b=e.target.closest('button[data-code]');
if(!b)return;navigator.clipboard.writeText(b.dataset.code).then(function(){b.textContent='Copied';},
function(){b.textContent='Select the code to copy it';});});`;

/** `back` when it is an http(s) address (the app page that linked here); anything else is ignored. */
function backUrl(back: string | undefined): string | undefined {
  if (!back) return undefined;
  try {
    const url = new URL(back);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

// "Back to the app": the app usually opened this page in a new tab (its form, half filled, is still
// in the tab before), so close this one when the browser allows it; otherwise go to `back`.
const backScript = `var back=document.getElementById('back');if(back)back.addEventListener('click',function(e){
if(history.length>1)return;e.preventDefault();window.close();setTimeout(function(){location.href=back.href;},200);});`;

/**
 * A small page listing the dev mailbox, newest first, so a developer can read codes in a browser:
 * a way back to the app page that linked here (`back`), a copy button per code, codes replaced by a
 * newer one marked, and a reload every 5 seconds (stopped while the filter has focus, so typing is not
 * lost).
 */
export function mailboxPage(messages: MailMessage[], to?: string, back?: string): string {
  const superseded = supersededIds(messages);
  const app = backUrl(back);
  const nav = app
    ? `<a id="back" href="${escapeHtml(app)}">← Back to the app</a> · <a href="/">IdP home</a>`
    : '<a href="/">← IdP home</a>';
  const rows = messages
    .map((m) => {
      const old = superseded.has(m.id);
      return `<article${old ? ' class="superseded"' : ''}><header><strong>${escapeHtml(m.subject)}</strong> → ${escapeHtml(m.to)}
<small>${escapeHtml(m.kind)} · ${escapeHtml(m.createdAt)}</small>${old ? ' <em>superseded: a newer code was sent, use that one</em>' : ''}</header>
${m.html ? `<iframe sandbox title="The HTML the CustomMessage trigger rendered" srcdoc="${escapeHtml(m.html)}"></iframe><details><summary>text</summary><p>${escapeHtml(m.body)}</p></details>` : `<p>${escapeHtml(m.body)}</p>`}<p>Code: <code>${escapeHtml(m.code)}</code>${old ? '' : ` <button type="button" data-code="${escapeHtml(m.code)}">Copy</button>`}</p></article>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dev mailbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px system-ui;max-width:48rem;margin:2rem auto;padding:0 1rem;overflow-wrap:anywhere}h1{font-size:1.4rem}
article{border:1px solid #ccc;border-radius:6px;padding:.5rem 1rem;margin:.75rem 0}
article.superseded{border-style:dashed;background:#f4f4f4}article.superseded code{text-decoration:line-through}
small{color:#555;margin-left:.5rem}iframe{width:100%;min-height:16rem;border:1px solid #ddd;background:#fff}code{font-size:1.2em;background:#eef;padding:0 .3em}</style></head>
<body><nav>${nav}</nav>
<main><h1>Dev mailbox${to ? ` for ${escapeHtml(to)}` : ''}</h1>
<p><small>Newest first. This page reloads every 5 seconds.</small></p>
<form><label>Address <input name="to" type="email" value="${escapeHtml(to ?? '')}"></label>${app ? `<input type="hidden" name="back" value="${escapeHtml(app)}">` : ''} <button>Filter</button></form>
${rows || '<p>No messages yet.</p>'}
<p><small>JSON: <a href="?format=json${to ? `&to=${encodeURIComponent(to)}` : ''}">?format=json</a></small></p>
</main>
<script>${copyScript}${backScript}
var reload=setTimeout(function(){location.reload();},5000);
document.querySelector('input[name=to]').addEventListener('focus',function(){clearTimeout(reload);});</script>
</body></html>`;
}
