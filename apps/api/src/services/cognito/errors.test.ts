import { Readable, Writable } from 'node:stream';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DbUnavailableError } from '../../db/errors.ts';
import { REDACT_PATHS } from '../../logging.ts';
import { problemBody, toProblem } from '../../plugins/app/error-handler.ts';
import { upstreamProblem } from './errors.ts';

const denied =
  'User: arn:aws:sts::123456789012:assumed-role/api-task/abc is not authorized to perform: ' +
  'cognito-idp:AdminGetUser on resource: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Abc';

/** What the real SDK throws when Cognito answers 400 AccessDeniedException (a task role without the action). */
async function accessDenied(): Promise<unknown> {
  const client = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
    requestHandler: {
      handle: async () => ({
        response: {
          statusCode: 400,
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-errortype': 'AccessDeniedException',
          },
          body: Readable.from([
            Buffer.from(JSON.stringify({ __type: 'AccessDeniedException', message: denied })),
          ]),
        },
      }),
    },
  });
  return client.send(new AdminGetUserCommand({ UserPoolId: 'eu-west-1_Abc', Username: 'u' })).catch((e) => e);
}

/** One error line through a logger with the API's redaction, as the error handler writes it. */
function logged(err: unknown): string {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink).error({ err }, 'request failed');
  return lines.join('');
}

describe('infrastructure errors reach the log with their real cause, never the response', () => {
  it('a Cognito AccessDeniedException: 502 to the client, the denied action in the log', async () => {
    const err = await accessDenied();
    expect((err as Error).name).toBe('AccessDeniedException');
    const problem = upstreamProblem(err);
    expect(problem.status).toBe(502);
    expect(JSON.stringify(problemBody(problem, 'req-1'))).not.toMatch(/AccessDenied|not authorized|arn:/);
    const line = logged(problem);
    expect(line).toContain('AccessDeniedException');
    expect(line).toContain('cognito-idp:AdminGetUser');
  });

  it('a refused connection to Cognito: 503 to the client, ECONNREFUSED in the log', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    const problem = upstreamProblem(err);
    expect(problem.status).toBe(503);
    expect(JSON.stringify(problemBody(problem))).not.toMatch(/ECONNREFUSED|10\.0\.0\.1/);
    expect(logged(problem)).toContain('ECONNREFUSED');
  });

  it('a database outage: the driver’s reason (e.g. too many clients) is in the log', () => {
    const problem = toProblem(new DbUnavailableError(new Error('sorry, too many clients already')));
    expect(problem.status).toBe(503);
    expect(JSON.stringify(problemBody(problem))).not.toMatch(/too many clients/);
    expect(logged(problem)).toContain('too many clients');
  });
});
