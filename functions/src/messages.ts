/**
 * The branded e-mails (seed 003): one layout, one text per purpose, HTML for Cognito (CustomMessage
 * can only return HTML) and a plain-text twin for previews and tests. The code and username stay
 * Cognito's placeholders: Cognito puts the real values in after the function answers.
 */
export type Purpose = 'sign-up' | 'resend' | 'reset' | 'invitation' | 'verify-email' | 'sign-in';

export interface Rendered {
  subject: string;
  html: string;
  text: string;
  sms: string;
}

export interface Brand {
  appName: string;
  appUrl?: string;
}

export const brandFromEnv = (env: NodeJS.ProcessEnv = process.env): Brand => ({
  appName: env.APP_NAME?.trim() || 'Cognito Stack',
  appUrl: env.APP_URL?.trim() || undefined,
});

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface Copy {
  subject: string;
  heading: string;
  lead: string;
  after: string;
}

function copyFor(purpose: Purpose, app: string, username?: string): Copy {
  switch (purpose) {
    case 'sign-up':
      return {
        subject: `Confirm your ${app} account`,
        heading: `Welcome to ${app}`,
        lead: 'Enter this code to confirm your e-mail address and finish signing up:',
        after: 'The code works for 24 hours. If you did not sign up, ignore this e-mail.',
      };
    case 'resend':
      return {
        subject: `Your new ${app} confirmation code`,
        heading: 'Here is a new code',
        lead: 'You asked for a new confirmation code. Earlier codes no longer work:',
        after: 'The code works for 24 hours.',
      };
    case 'reset':
      return {
        subject: `Reset your ${app} password`,
        heading: 'Reset your password',
        lead: 'Enter this code to choose a new password:',
        after: 'The code works for one hour. If you did not ask for it, your password stays as it is.',
      };
    case 'invitation':
      return {
        subject: `You are invited to ${app}`,
        heading: `Your ${app} account is ready`,
        lead: `Sign in as ${username ?? ''} with this temporary password, then choose your own:`,
        after: 'The temporary password expires in 7 days.',
      };
    case 'sign-in':
      return {
        subject: `Your ${app} sign-in code`,
        heading: 'Finish signing in',
        lead: 'Enter this code to finish signing in:',
        after: 'The code works for 3 minutes. If you did not try to sign in, change your password.',
      };
    case 'verify-email':
      return {
        subject: `Confirm your new ${app} e-mail address`,
        heading: 'Confirm your e-mail address',
        lead: 'Enter this code to confirm this address for your account:',
        after: 'If you did not change your address, sign in and change your password.',
      };
  }
}

/** `code` and `username` are Cognito's placeholders ({####}, {username}), inserted verbatim. */
export function render(
  purpose: Purpose,
  o: { code: string; username?: string; name?: string; brand: Brand },
): Rendered {
  const { appName, appUrl } = o.brand;
  const c = copyFor(purpose, appName, o.username);
  const hello = o.name ? `Hello ${o.name},` : 'Hello,';
  // Placeholders go in unescaped (they are ASCII and Cognito replaces them); everything else escaped.
  const lead = escapeHtml(c.lead).replace(escapeHtml(o.username ?? '\u0000'), o.username ?? '');
  const html = `<!doctype html><html><body style="margin:0;background:#f4f5f7;font-family:system-ui,sans-serif;color:#1b1f24">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px">
<table role="presentation" width="480" cellpadding="0" cellspacing="0" style="background:#fff;border-radius:8px;padding:32px">
<tr><td><p style="font-size:14px;font-weight:700;letter-spacing:.04em;color:#3451b2;margin:0 0 16px">${escapeHtml(appName)}</p>
<h1 style="font-size:22px;margin:0 0 16px">${escapeHtml(c.heading)}</h1>
<p style="margin:0 0 8px">${escapeHtml(hello)}</p>
<p style="margin:0 0 16px">${lead}</p>
<p style="font-size:28px;font-weight:700;letter-spacing:.2em;margin:0 0 16px">${o.code}</p>
<p style="margin:0;color:#57606a;font-size:14px">${escapeHtml(c.after)}</p>
${appUrl ? `<p style="margin:16px 0 0"><a href="${escapeHtml(appUrl)}" style="color:#3451b2">${escapeHtml(appUrl)}</a></p>` : ''}
</td></tr></table></td></tr></table></body></html>`;
  const text = [
    appName,
    '',
    c.heading,
    '',
    hello,
    c.lead,
    '',
    o.code,
    '',
    c.after,
    ...(appUrl ? ['', appUrl] : []),
  ].join('\n');
  const sms = `${appName}: ${purpose === 'invitation' ? `user ${o.username}, temporary password` : 'your code is'} ${o.code}`;
  return { subject: c.subject, html, text, sms };
}
