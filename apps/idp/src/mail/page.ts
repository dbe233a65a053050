import type { MailMessage } from '../store/state.ts';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A small page listing the dev mailbox, newest first, so a developer can read codes in a browser. */
export function mailboxPage(messages: MailMessage[], to?: string): string {
  const rows = messages
    .map(
      (m) => `<article><header><strong>${escapeHtml(m.subject)}</strong> → ${escapeHtml(m.to)}
<small>${escapeHtml(m.kind)} · ${escapeHtml(m.createdAt)}</small></header>
<p>${escapeHtml(m.body)}</p><p>Code: <code>${escapeHtml(m.code)}</code></p></article>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dev mailbox</title>
<meta http-equiv="refresh" content="5">
<style>body{font:15px system-ui;max-width:48rem;margin:2rem auto;padding:0 1rem}
article{border:1px solid #ccc;border-radius:6px;padding:.5rem 1rem;margin:.75rem 0}
small{color:#666;margin-left:.5rem}code{font-size:1.2em;background:#eef;padding:0 .3em}</style></head>
<body><h1>Dev mailbox${to ? ` for ${escapeHtml(to)}` : ''}</h1>
<form><input name="to" placeholder="filter by address" value="${escapeHtml(to ?? '')}"> <button>Filter</button></form>
${rows || '<p>No messages yet.</p>'}
<p><small>JSON: <a href="?format=json${to ? `&to=${encodeURIComponent(to)}` : ''}">?format=json</a></small></p>
</body></html>`;
}
