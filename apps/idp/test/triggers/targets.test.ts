import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignUpCommand, UpdateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFunctionMap } from '../../src/triggers/targets.ts';
import { uniqueEmail } from '../helpers.ts';
import { errorOf, password, startTriggerIdp, type TriggerIdp } from './harness.ts';

async function listen(server: Server) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('where functions run: a module file, an HTTP hook, a Lambda Invoke endpoint', () => {
  let t: TriggerIdp;
  let dir: string;
  const servers: Server[] = [];
  const received: Array<{ path: string; event: { triggerSource: string } }> = [];
  let moduleFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'idp-functions-'));
    moduleFile = join(dir, 'pre-sign-up.ts');
    await writeFile(
      moduleFile,
      `export const handler = async (event: { response: Record<string, unknown> }) => {
  event.response.autoConfirmUser = true;
  return event;
};\n`,
    );
    // A hook answering like a Python/FastAPI handler would: the event back, or an error status.
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const event = JSON.parse(body);
        received.push({ path: req.url!, event });
        if (event.request.userAttributes.email.startsWith('refuse')) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errorMessage: 'No sign-ups today' }));
          return;
        }
        // The Lambda Invoke API signals a function error with a header and a 200.
        if (req.url!.includes('/invocations') && event.request.userAttributes.email.startsWith('crash')) {
          res.writeHead(200, { 'x-amz-function-error': 'Unhandled' });
          res.end(JSON.stringify({ errorMessage: 'boom', errorType: 'Error' }));
          return;
        }
        event.response.autoConfirmUser = true;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(event));
      });
    });
    servers.push(hook);
    const hookUrl = await listen(hook);
    const functionsFile = join(dir, 'functions.json');
    await writeFile(
      functionsFile,
      JSON.stringify({
        'module-fn': './pre-sign-up.ts#handler',
        'arn:aws:lambda:us-east-1:123456789012:function:url-fn': `${hookUrl}/hooks/pre-sign-up`,
        'invoke-fn': { invoke: hookUrl, name: 'PreSignUpFn' },
      }),
    );
    t = await startTriggerIdp({ functions: loadFunctionMap(functionsFile) });
  });
  afterAll(async () => {
    await t.close();
    for (const s of servers) s.close();
    await rm(dir, { recursive: true, force: true });
  });

  const usePreSignUp = (name: string) =>
    t.cognito.send(
      new UpdateUserPoolCommand({
        UserPoolId: t.poolId,
        AutoVerifiedAttributes: ['email'],
        LambdaConfig: { PreSignUp: `arn:aws:lambda:us-east-1:123456789012:function:${name}` },
      }),
    );
  const signUp = (email: string) =>
    t.cognito.send(new SignUpCommand({ ClientId: t.clientId, Username: email, Password: password }));

  it('a TypeScript module by path#export, imported again when the file changes', async () => {
    await usePreSignUp('module-fn');
    expect((await signUp(uniqueEmail('module'))).UserConfirmed).toBe(true);
    await writeFile(
      moduleFile,
      `export const handler = async () => { throw new Error('edited: closed'); };\n`,
    );
    // Some file systems keep mtime to the second: move it on explicitly.
    const later = new Date(Date.now() + 5000);
    await utimes(moduleFile, later, later);
    const err = await errorOf(signUp(uniqueEmail('module')));
    expect(err?.message).toBe('PreSignUp failed with error edited: closed.');
  });

  it('an HTTP URL: the event is POSTed; a 2xx answers it, an error status is the function error', async () => {
    await usePreSignUp('url-fn');
    expect((await signUp(uniqueEmail('hook'))).UserConfirmed).toBe(true);
    expect(received.at(-1)).toMatchObject({
      path: '/hooks/pre-sign-up',
      event: { triggerSource: 'PreSignUp_SignUp' },
    });
    const err = await errorOf(signUp(uniqueEmail('refuse')));
    expect(err?.message).toBe('PreSignUp failed with error No sign-ups today.');
  });

  it('a Lambda Invoke endpoint: POST /2015-03-31/functions/<name>/invocations, X-Amz-Function-Error is the error', async () => {
    await usePreSignUp('invoke-fn');
    expect((await signUp(uniqueEmail('invoke'))).UserConfirmed).toBe(true);
    expect(received.at(-1)!.path).toBe('/2015-03-31/functions/PreSignUpFn/invocations');
    const err = await errorOf(signUp(uniqueEmail('crash')));
    expect(err?.name).toBe('UserLambdaValidationException');
    expect(err?.message).toBe('PreSignUp failed with error boom.');
  });

  it('/_dev/triggers lists each invocation with its event, answer or error, and duration', async () => {
    const res = await fetch(`${t.idp.url}/_dev/triggers?format=json&trigger=PreSignUp`);
    const { invocations } = (await res.json()) as {
      invocations: Array<{
        triggerSource: string;
        runs: string;
        error?: string;
        response?: unknown;
        durationMs: number;
      }>;
    };
    // Newest first: invoke (error, ok), url (error, ok), module (error, ok).
    expect(invocations.map((i) => i.runs)).toEqual(['invoke', 'invoke', 'url', 'url', 'module', 'module']);
    expect(invocations[0]).toMatchObject({
      triggerSource: 'PreSignUp_SignUp',
      error: 'UserLambdaValidationException: PreSignUp failed with error boom.',
    });
    expect(invocations[1]!.response).toMatchObject({ autoConfirmUser: true });
    expect(invocations.every((i) => typeof i.durationMs === 'number')).toBe(true);
    const html = await fetch(`${t.idp.url}/_dev/triggers`, { headers: { accept: 'text/html' } }).then((r) =>
      r.text(),
    );
    expect(html).toContain('PreSignUp_SignUp');
    expect(html).toContain('runs as invoke');
  });
});

describe('--functions', () => {
  it('reads the map relative to its own folder; a malformed entry or file stops start-up with a clear message', async () => {
    const { parseCli, CliError } = await import('../../src/cli.ts');
    const dir = await mkdtemp(join(tmpdir(), 'idp-cli-functions-'));
    try {
      await writeFile(join(dir, 'functions.json'), JSON.stringify({ 'pre-sign-up': './fns/pre.ts#handler' }));
      const opts = parseCli(['--functions', join(dir, 'functions.json')], {});
      expect(opts !== 'help' && opts.functions?.get('pre-sign-up')).toEqual({
        module: join(dir, 'fns/pre.ts#handler'),
      });
      await writeFile(join(dir, 'bad.json'), JSON.stringify({ 'pre-sign-up': 42 }));
      expect(() => parseCli(['--functions', join(dir, 'bad.json')], {})).toThrow(CliError);
      expect(() => parseCli(['--functions', join(dir, 'missing.json')], {})).toThrow(
        /cannot read the functions file/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
