import type { CustomMessageTriggerEvent, PreSignUpTriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as customMessage } from '../src/custom-message.ts';
import { checkEmail } from '../src/email-rules.ts';
import { render } from '../src/messages.ts';
import { handler as preSignUp } from '../src/pre-sign-up.ts';

const base = {
  version: '1',
  region: 'us-east-1',
  userPoolId: 'us-east-1_test',
  userName: 'a1b2',
  callerContext: { awsSdkVersion: 'x', clientId: 'c' },
};

function messageEvent(triggerSource: string, extra: Partial<CustomMessageTriggerEvent['request']> = {}) {
  return {
    ...base,
    triggerSource,
    request: {
      userAttributes: { email: 'ada@example.com', name: 'Ada <Lovelace>' },
      codeParameter: '{####}',
      linkParameter: '{##Click Here##}',
      usernameParameter: null,
      ...extra,
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  } as unknown as CustomMessageTriggerEvent;
}

describe('custom-message', () => {
  it.each([
    ['CustomMessage_SignUp', 'Confirm your Cognito Stack account'],
    ['CustomMessage_ResendCode', 'Your new Cognito Stack confirmation code'],
    ['CustomMessage_ForgotPassword', 'Reset your Cognito Stack password'],
    ['CustomMessage_UpdateUserAttribute', 'Confirm your new Cognito Stack e-mail address'],
    ['CustomMessage_VerifyUserAttribute', 'Confirm your new Cognito Stack e-mail address'],
    ['CustomMessage_Authentication', 'Your Cognito Stack sign-in code'],
  ])('%s: branded subject, HTML with the code placeholder, the name escaped', async (source, subject) => {
    const out = await customMessage(messageEvent(source));
    expect(out.response.emailSubject).toBe(subject);
    expect(out.response.emailMessage).toContain('{####}');
    expect(out.response.emailMessage).toContain('Hello Ada &lt;Lovelace&gt;,');
    expect(out.response.emailMessage).not.toContain('<Lovelace>');
    expect(out.response.smsMessage).toContain('{####}');
  });

  it('the invitation carries both placeholders', async () => {
    const out = await customMessage(
      messageEvent('CustomMessage_AdminCreateUser', { usernameParameter: '{username}' }),
    );
    expect(out.response.emailSubject).toBe('You are invited to Cognito Stack');
    expect(out.response.emailMessage).toContain('Sign in as {username} with this temporary password');
    expect(out.response.emailMessage).toContain('{####}');
  });

  it('a source it does not brand keeps Cognito’s own message', async () => {
    const out = await customMessage(messageEvent('CustomMessage_Unknown'));
    expect(out.response).toEqual({ smsMessage: null, emailMessage: null, emailSubject: null });
  });

  it('has a plain-text twin with the same words', () => {
    const m = render('reset', { code: '{####}', brand: { appName: 'Acme', appUrl: 'https://acme.example' } });
    expect(m.text).toBe(
      'Acme\n\nReset your password\n\nHello,\nEnter this code to choose a new password:\n\n{####}\n\nThe code works for one hour. If you did not ask for it, your password stays as it is.\n\nhttps://acme.example',
    );
    expect(m.html).toContain('href="https://acme.example"');
  });
});

describe('pre-sign-up address rules', () => {
  const refuse =
    (email: string, allowed: string[] = []) =>
    () =>
      checkEmail(email, { allowedDomains: allowed });

  it('accepts an ordinary address, any case', () => {
    expect(refuse('Ada.Lovelace+news@Example.COM')).not.toThrow();
  });

  it.each([
    ['', 'An e-mail address is required'],
    ['ada', 'This is not a valid e-mail address'],
    ['ada@localhost', 'This is not a valid e-mail address'],
    ['.ada@example.com', 'This is not a valid e-mail address'],
    ['ada..b@example.com', 'This is not a valid e-mail address'],
    ['ada@-example.com', 'This is not a valid e-mail address'],
    ['ada@example.c0m', 'This is not a valid e-mail address'],
  ])('refuses the malformed %j', (email, message) => {
    expect(refuse(email)).toThrow(message);
  });

  it.each([
    'аda@example.com', // Cyrillic а
    'ｅxample@example.com', // full-width e
    'jose\u0301@example.com', // decomposed accent
    'josé@example.com',
  ])('refuses the look-alike %j', (email) => {
    expect(refuse(email)).toThrow('Use an e-mail address written with plain ASCII letters and digits');
  });

  it('refuses disposable domains and their subdomains', () => {
    expect(refuse('a@mailinator.com')).toThrow('Disposable e-mail addresses cannot be used.');
    expect(refuse('a@eu.mailinator.com')).toThrow('Disposable e-mail addresses cannot be used.');
  });

  it('applies the allow-list to the domain and its subdomains only', () => {
    expect(refuse('a@acme.example', ['acme.example'])).not.toThrow();
    expect(refuse('a@eu.acme.example', ['acme.example'])).not.toThrow();
    expect(refuse('a@notacme.example', ['acme.example'])).toThrow('Sign-up is limited');
  });

  it('the handler throws the rule’s message and answers the event otherwise', async () => {
    const event = {
      ...base,
      triggerSource: 'PreSignUp_SignUp',
      request: { userAttributes: { email: 'a@mailinator.com' } },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    } as unknown as PreSignUpTriggerEvent;
    await expect(preSignUp(event)).rejects.toThrow('Disposable');
    event.request.userAttributes.email = 'ada@example.com';
    expect(await preSignUp(event)).toBe(event);
  });
});
