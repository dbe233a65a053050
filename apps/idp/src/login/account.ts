import { noLoginOption, offersCognito } from '../oauth/authorize.ts';
import { redirect } from '../oauth/http.ts';
import { operations } from '../operations/index.ts';
import { CognitoError } from '../protocol/errors.ts';
import { notices, type PageContext, pagePath, postedForm, secretHashFor } from './flow.ts';
import {
  byUsernameAttribute,
  identifierField,
  identifierOf,
  phoneHint,
  usernameAttribute,
} from './identifier.ts';
import { policyHint, selfSignUp } from './login.ts';
import { type Field, field, form, link, sendPage } from './page.ts';

/**
 * Sign-up, confirmation, code resend and password reset pages. Each calls the very operation an API
 * client would (SignUp, ConfirmSignUp, ...), so the account rules have one owner.
 */
async function call(p: PageContext, op: string, input: Record<string, unknown>) {
  const handler = operations[op];
  if (!handler) throw new Error(`operation ${op} missing`);
  return (await handler(p.ctx, { ClientId: p.request.client.clientId, ...input })) as Record<string, unknown>;
}

interface Page {
  title: string;
  lead?: string;
  action: string;
  fields: Field[];
  submit: string;
  hidden?: Record<string, string>;
  nav?: string;
}

function render(p: PageContext, page: Page, error?: string) {
  const key = p.url.searchParams.get('notice') ?? '';
  const notice = error
    ? undefined
    : key === 'sent' && identifierOf(p.request.pool).delivery !== 'email'
      ? 'We sent you a code. It may take a minute to arrive.'
      : notices[key];
  const inner = page.fields.map((f) => field(f, !!error)).join('');
  sendPage(p.res, {
    title: page.title,
    lead: page.lead,
    error,
    notice,
    status: error ? 400 : 200,
    headers: p.headers,
    body: `${form(pagePath(p, page.action), p.csrf, page.hidden ?? {}, inner, page.submit)}${page.nav ? `<nav>${page.nav}</nav>` : ''}`,
  });
}

const codeHints = {
  email: 'The 6-digit code from the e-mail we sent you.',
  phone: 'The 6-digit code from the text message we sent you.',
  either: 'The 6-digit code we sent you.',
};
const codeField = (p: PageContext): Field => ({
  name: 'code',
  label: 'Code',
  autocomplete: 'one-time-code',
  inputmode: 'numeric',
  hint: codeHints[identifierOf(p.request.pool).delivery],
});
/** A code goes *to* an e-mail or phone username, but *for* a plain username (to its contact). */
const sentTo = (p: PageContext) => (byUsernameAttribute(p.request.pool) ? 'to' : 'for');
const backToSignIn = (p: PageContext) => link(pagePath(p, '/login'), 'Back to sign in');

/** Runs a form post; a Cognito error re-renders the page with its message. */
async function handle(
  p: PageContext,
  page: (p: PageContext, f: URLSearchParams) => Page,
  run: (f: URLSearchParams) => Promise<void>,
) {
  const posted = await postedForm(p);
  if (!posted) return;
  try {
    await run(posted);
  } catch (err) {
    if (!(err instanceof CognitoError)) throw err;
    render(p, page(p, posted), err.message);
  }
}

const username = (f: URLSearchParams) => (f.get('username') ?? '').trim();

/**
 * The sign-up form: the pool's username (an e-mail, a phone number or a username, ADR 0213); for a
 * username pool also the e-mail and phone number it needs (required, or where codes go); then the
 * other required attributes and the name.
 */
const signUpPage = (p: PageContext, f?: URLSearchParams): Page => {
  const { pool } = p.request;
  const needed = (name: string) =>
    !byUsernameAttribute(pool) &&
    pool.schema.some((s) => s.name === name && (s.required || pool.autoVerifiedAttributes.includes(name)));
  const contact: Field[] = [
    ...(needed('email')
      ? [
          {
            name: 'attr_email',
            label: 'E-mail address',
            type: 'email',
            autocomplete: 'email',
            value: f?.get('attr_email') ?? '',
          },
        ]
      : []),
    ...(needed('phone_number')
      ? [
          {
            name: 'attr_phone_number',
            label: 'Phone number',
            type: 'tel',
            autocomplete: 'tel',
            value: f?.get('attr_phone_number') ?? '',
            hint: phoneHint,
          },
        ]
      : []),
  ];
  const extra = pool.schema.filter(
    (s) => !['email', 'phone_number', 'sub'].includes(s.name) && (s.required || s.name === 'name'),
  );
  return {
    title: 'Create an account',
    lead: `for ${p.request.client.clientName}`,
    action: '/signup',
    submit: 'Sign up',
    fields: [
      identifierField(pool, f ? username(f) : ''),
      ...contact,
      ...extra.map((s) => ({
        name: `attr_${s.name}`,
        label: s.name === 'name' ? 'Name' : s.name,
        autocomplete: s.name === 'name' ? 'name' : 'off',
        value: f?.get(`attr_${s.name}`) ?? '',
        required: s.required,
      })),
      {
        name: 'password',
        label: 'Password',
        type: 'password',
        autocomplete: 'new-password',
        hint: policyHint(p.request.pool),
      },
    ],
    nav: `<span>Have an account? ${link(pagePath(p, '/login'), 'Sign in')}</span>`,
  };
};

/** An admin-only pool's /signup: SignUp's own refusal, and the way back, instead of a form. */
function signUpClosed(p: PageContext) {
  sendPage(p.res, {
    title: 'Create an account',
    error: 'SignUp is not permitted for this user pool',
    status: 403,
    headers: p.headers,
    body: `<nav>${backToSignIn(p)}</nav>`,
  });
}

const confirmPage = (p: PageContext, f?: URLSearchParams): Page => {
  const name = f ? username(f) : (p.url.searchParams.get('username') ?? '');
  return {
    title: 'Confirm your account',
    lead: name ? `We sent a code ${sentTo(p)} ${name}.` : undefined,
    action: '/confirm',
    submit: 'Confirm',
    hidden: { username: name },
    fields: [codeField(p)],
    nav: `${link(pagePath(p, '/resendcode', { username: name }), 'Send a new code')}${backToSignIn(p)}`,
  };
};

const resendPage = (p: PageContext, f?: URLSearchParams): Page => ({
  title: 'Send a new code',
  action: '/resendcode',
  submit: 'Send code',
  fields: [identifierField(p.request.pool, f ? username(f) : (p.url.searchParams.get('username') ?? ''))],
  nav: backToSignIn(p),
});

const forgotPage = (p: PageContext, f?: URLSearchParams): Page => ({
  title: 'Reset your password',
  lead:
    identifierOf(p.request.pool).delivery === 'email'
      ? 'We will e-mail you a code to choose a new password.'
      : 'We will send you a code to choose a new password.',
  action: '/forgotPassword',
  submit: 'Send code',
  fields: [identifierField(p.request.pool, f ? username(f) : (p.url.searchParams.get('login_hint') ?? ''))],
  nav: backToSignIn(p),
});

const confirmForgotPage = (p: PageContext, f?: URLSearchParams): Page => {
  const name = f ? username(f) : (p.url.searchParams.get('username') ?? '');
  return {
    title: 'Choose a new password',
    lead: name ? `Enter the code we sent ${sentTo(p)} ${name}.` : undefined,
    action: '/confirmforgotPassword',
    submit: 'Change password',
    hidden: { username: name },
    fields: [
      codeField(p),
      {
        name: 'password',
        label: 'New password',
        type: 'password',
        autocomplete: 'new-password',
        hint: policyHint(p.request.pool),
      },
    ],
    nav: `${link(pagePath(p, '/forgotPassword'), 'Send a new code')}${backToSignIn(p)}`,
  };
};

/**
 * The account pages serve only clients that offer the pool's own users (COGNITO); for any other the
 * page says so instead (ADR 0213).
 */
function forPoolUsers(page: (p: PageContext) => unknown) {
  return (p: PageContext) => {
    if (offersCognito(p.request.client)) return page(p);
    sendPage(p.res, {
      title: 'Sign in',
      error: noLoginOption,
      status: 400,
      headers: p.headers,
      body: `<nav>${backToSignIn(p)}</nav>`,
    });
  };
}

const accountPageHandlers = {
  '/signup': {
    get: (p: PageContext) => (selfSignUp(p.request.pool) ? render(p, signUpPage(p)) : signUpClosed(p)),
    post: (p: PageContext) =>
      handle(p, signUpPage, async (f) => {
        const name = username(f);
        const attrs: Array<{ Name: string; Value: string }> = [];
        const own = usernameAttribute(p.request.pool, name);
        if (own) attrs.push({ Name: own, Value: name });
        for (const [k, v] of f)
          if (k.startsWith('attr_') && v.trim()) attrs.push({ Name: k.slice(5), Value: v.trim() });
        const out = await call(p, 'SignUp', {
          Username: name,
          Password: f.get('password') ?? '',
          UserAttributes: attrs,
          SecretHash: secretHashFor(p, name),
        });
        if (out.UserConfirmed)
          return redirect(p.res, pagePath(p, '/login', { notice: 'confirmed', login_hint: name }));
        redirect(p.res, pagePath(p, '/confirm', { username: name }));
      }),
  },
  '/confirm': {
    get: (p: PageContext) => render(p, confirmPage(p)),
    post: (p: PageContext) =>
      handle(p, confirmPage, async (f) => {
        const name = username(f);
        await call(p, 'ConfirmSignUp', {
          Username: name,
          ConfirmationCode: (f.get('code') ?? '').trim(),
          SecretHash: secretHashFor(p, name),
        });
        redirect(p.res, pagePath(p, '/login', { notice: 'confirmed', login_hint: name }));
      }),
  },
  '/resendcode': {
    get: (p: PageContext) => render(p, resendPage(p)),
    post: (p: PageContext) =>
      handle(p, resendPage, async (f) => {
        const name = username(f);
        await call(p, 'ResendConfirmationCode', { Username: name, SecretHash: secretHashFor(p, name) });
        redirect(p.res, pagePath(p, '/confirm', { username: name, notice: 'sent' }));
      }),
  },
  '/forgotPassword': {
    get: (p: PageContext) => render(p, forgotPage(p)),
    post: (p: PageContext) =>
      handle(p, forgotPage, async (f) => {
        const name = username(f);
        await call(p, 'ForgotPassword', { Username: name, SecretHash: secretHashFor(p, name) });
        redirect(p.res, pagePath(p, '/confirmforgotPassword', { username: name, notice: 'sent' }));
      }),
  },
  '/confirmforgotPassword': {
    get: (p: PageContext) => render(p, confirmForgotPage(p)),
    post: (p: PageContext) =>
      handle(p, confirmForgotPage, async (f) => {
        const name = username(f);
        await call(p, 'ConfirmForgotPassword', {
          Username: name,
          ConfirmationCode: (f.get('code') ?? '').trim(),
          Password: f.get('password') ?? '',
          SecretHash: secretHashFor(p, name),
        });
        redirect(p.res, pagePath(p, '/login', { notice: 'reset', login_hint: name }));
      }),
  },
};

export const accountPages = Object.fromEntries(
  Object.entries(accountPageHandlers).map(([path, page]) => [
    path,
    { get: forPoolUsers(page.get), post: forPoolUsers(page.post) },
  ]),
);
