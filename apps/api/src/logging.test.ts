import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACT_PATHS } from './logging.ts';

/** A pino logger with the API's redaction, writing its lines into `lines`. */
function redactingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink), lines };
}

describe('log redaction', () => {
  it('removes credentials, passwords, codes and tokens from log lines', () => {
    const { log, lines } = redactingLogger();
    log.info(
      { req: { headers: { authorization: 'Bearer secret-token-1', cookie: 'sid=secret-cookie' } } },
      'request',
    );
    log.info(
      {
        body: {
          password: 'secret-password',
          code: '123456',
          refresh_token: 'secret-refresh',
          new_password: 'secret-new-password',
          current_password: 'secret-current-password',
        },
      },
      'body',
    );
    log.info(
      { result: { accessToken: 'secret-access', idToken: 'secret-id', newPassword: 'secret-new' } },
      'result',
    );
    const out = lines.join('');
    expect(out).not.toMatch(/secret|123456/);
    expect(out.match(/\[redacted\]/g)?.length).toBe(10);
  });

  it("keeps an error's code (not a secret) while one-time codes stay hidden", () => {
    const { log, lines } = redactingLogger();
    const err = Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' });
    log.error({ err }, 'failed');
    log.warn({ error: { code: 'CodeMismatchException' }, input: { ConfirmationCode: '654321' } }, 'x');
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first.err.code).toBe('ECONNREFUSED');
    expect(second.error.code).toBe('CodeMismatchException');
    expect(second.input.ConfirmationCode).toBe('[redacted]');
  });
});
