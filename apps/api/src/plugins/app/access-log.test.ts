import { Writable } from 'node:stream';
import Fastify, { LogController } from 'fastify';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../logging.ts';
import { accessLogPlugin } from './access-log.ts';

async function appWithLines(level: 'info' | 'warn') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  const app = Fastify({
    logger: { ...(loggerOptions({ logLevel: level }) as object), stream },
    logController: new LogController({ disableRequestLogging: true }),
  });
  await app.register(accessLogPlugin);
  app.get('/things/:id', async () => ({ ok: true }));
  return { app, lines };
}

describe('access log (ADR 0097)', () => {
  it('writes one flat line per request, without the query string', async () => {
    const { app, lines } = await appWithLines('info');
    const res = await app.inject({ url: '/things/7?code=123456&email=a@example.com' });
    expect(res.statusCode).toBe(200);
    const access = lines.filter((l) => l.msg === 'request completed');
    expect(access).toHaveLength(1);
    expect(lines).toHaveLength(1);
    expect(access[0]).toMatchObject({
      req: { method: 'GET', url: '/things/7' },
      res: { statusCode: 200 },
      reqId: expect.any(String),
    });
    expect(typeof access[0]!.responseTime).toBe('number');
    expect(JSON.stringify(lines)).not.toMatch(/123456|example\.com/);
    await app.close();
  });

  it('writes nothing above info', async () => {
    const { app, lines } = await appWithLines('warn');
    await app.inject({ url: '/things/7' });
    expect(lines).toHaveLength(0);
    await app.close();
  });
});
