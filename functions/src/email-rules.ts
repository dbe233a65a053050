import disposableDomains from 'disposable-email-domains' with { type: 'json' };

const disposable = new Set<string>(disposableDomains as string[]);

/**
 * Why an address is refused; the message is what the person signing up reads, after Cognito's
 * "PreSignUp failed with error " — which adds the final full stop itself.
 */
export class RefusedEmail extends Error {
  override name = 'RefusedEmail';
}

const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const local = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/;

export interface EmailRules {
  /** Domains (and their subdomains) allowed to sign up; empty = any domain. */
  allowedDomains: string[];
}

export const rulesFromEnv = (env: NodeJS.ProcessEnv = process.env): EmailRules => ({
  allowedDomains: (env.ALLOWED_EMAIL_DOMAINS ?? '')
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean),
});

const withinDomain = (domain: string, parent: string) => domain === parent || domain.endsWith(`.${parent}`);

/**
 * The sign-up address rules. Look-alikes first: only ASCII letters, in composed (NFKC) form, so
 * "ｅxample", a Cyrillic "а" or a decomposed accent cannot make a second account that reads the
 * same (the pool itself ignores case). Then the shape, disposable domains (the
 * disposable-email-domains list, parent domains included), and the optional allow-list.
 */
export function checkEmail(raw: string | undefined, rules: EmailRules): void {
  const email = (raw ?? '').trim();
  if (!email) throw new RefusedEmail('An e-mail address is required');
  if (email.normalize('NFKC') !== email || /[^\x20-\x7e]/.test(email))
    throw new RefusedEmail('Use an e-mail address written with plain ASCII letters and digits');
  const lower = email.toLowerCase();
  const at = lower.lastIndexOf('@');
  const name = lower.slice(0, at);
  const domain = lower.slice(at + 1).replace(/\.$/, '');
  const labels = domain.split('.');
  if (
    at < 1 ||
    !local.test(name) ||
    name.startsWith('.') ||
    name.endsWith('.') ||
    name.includes('..') ||
    labels.length < 2 ||
    !labels.every((l) => label.test(l)) ||
    !/^[a-z]{2,63}$|^xn--[a-z0-9-]+$/.test(labels.at(-1)!)
  )
    throw new RefusedEmail('This is not a valid e-mail address');
  for (let i = 0; i < labels.length - 1; i++)
    if (disposable.has(labels.slice(i).join('.')))
      throw new RefusedEmail('Disposable e-mail addresses cannot be used. Use a permanent address');
  if (rules.allowedDomains.length > 0 && !rules.allowedDomains.some((d) => withinDomain(domain, d)))
    throw new RefusedEmail('Sign-up is limited to addresses of approved organisations');
}
