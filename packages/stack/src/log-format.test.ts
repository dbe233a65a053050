import { describe, expect, it } from 'vitest';
import { chooseLogFormat, lineFormatter } from './log-format.ts';

describe('npm start log lines', () => {
  it('picks pretty on a terminal and JSON otherwise, unless LOG_FORMAT says', () => {
    expect(chooseLogFormat(undefined, true)).toBe('pretty');
    expect(chooseLogFormat(undefined, false)).toBe('json');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
    expect(() => chooseLogFormat('yaml', true)).toThrow(/LOG_FORMAT must be pretty or json/);
  });

  const pretty = lineFormatter('pretty', false);
  it('names the part once, even when its own line names it', () => {
    expect(pretty('idp', '[idp] listening on http://127.0.0.1:9339')).toBe(
      '[idp] listening on http://127.0.0.1:9339',
    );
    expect(pretty('start', 'ready')).toBe('[start] ready');
  });

  it("turns the API's access log and the IdP's request log into one short line", () => {
    const access = JSON.stringify({
      level: 30,
      time: 1,
      pid: 1,
      hostname: 'h',
      reqId: 'r',
      req: { method: 'GET', url: '/health' },
      res: { statusCode: 200 },
      responseTime: 1.5,
      msg: 'request completed',
    });
    expect(pretty('api', access)).toBe('[api] GET /health → 200 (1.5 ms)');
    const idp = JSON.stringify({
      time: 't',
      level: 'info',
      requestId: 'x',
      method: 'POST',
      path: '/',
      op: 'InitiateAuth',
      status: 400,
      ms: 3,
    });
    expect(pretty('idp', idp)).toBe('[idp] POST / InitiateAuth → 400 (3 ms)');
  });

  it('keeps the message, the fields worth reading and the level when above info', () => {
    const warn = JSON.stringify({
      level: 40,
      time: 1,
      pid: 1,
      hostname: 'h',
      jwksUri: 'http://x/jwks.json',
      msg: 'JWKS not reachable yet',
    });
    expect(pretty('api', warn)).toBe('[api] WARN JWKS not reachable yet  jwksUri=http://x/jwks.json');
    const err = JSON.stringify({
      level: 50,
      time: 1,
      err: { type: 'Error', message: 'boom', stack: 'long' },
      msg: 'failed',
    });
    expect(pretty('api', err)).toBe('[api] ERROR failed  err=boom');
  });

  it('in JSON mode keeps JSON lines as written plus the part, and wraps plain lines', () => {
    const json = lineFormatter('json', false);
    expect(JSON.parse(json('api', '{"level":30,"msg":"hi"}'))).toEqual({ part: 'api', level: 30, msg: 'hi' });
    expect(JSON.parse(json('start', 'ready'))).toMatchObject({ part: 'start', level: 'info', msg: 'ready' });
  });
});
