import { afterAll, describe, expect, it } from 'vitest';
import { buildProbeApp, expectProblem } from '../../../test/support/app.ts';
import { testConfig } from '../../../test/support/config.ts';

describe('load shedding on event-loop delay', () => {
  let close: (() => Promise<void>) | undefined;
  afterAll(async () => close?.());

  it('answers 503 problem+json right after the loop stalls, then recovers', async () => {
    const app = await buildProbeApp(testConfig(), {
      // Production's 500 ms windows: a stall must trip the check however many normal samples share its
      // window (a mean-based check, like @fastify/under-pressure's, misses it; ADR 0112).
      pressure: { maxEventLoopDelayMs: 150, sampleIntervalMs: 500 },
      extraRoutes: (scope) => {
        scope.get('/block', async () => {
          const end = Date.now() + 600; // a synchronous stall, as a CPU-bound bug would cause
          while (Date.now() < end) {}
          return { blocked: true };
        });
      },
    });
    close = () => app.close();
    expect((await app.inject({ url: '/probe/public' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/block' })).statusCode).toBe(200);

    // The stall's own sample can land in the histogram just after a window was read and reset, so it
    // trips the next window: poll for up to three windows (a fixed 40 polls could end before it).
    let shed: Awaited<ReturnType<typeof app.inject>> | undefined;
    const deadline = Date.now() + 3 * 500;
    while (!shed && Date.now() < deadline) {
      const res = await app.inject({ url: '/probe/public' });
      if (res.statusCode === 503) shed = res;
      else await new Promise((r) => setTimeout(r, 10));
    }
    expect(shed, 'no request was shed after a 600 ms stall').toBeDefined();
    expect(expectProblem(shed!, 503).detail).toBe('The server is overloaded; retry shortly.');
    expect(shed!.headers['retry-after']).toBe('1');

    let recovered = false;
    for (let i = 0; i < 60 && !recovered; i++) {
      await new Promise((r) => setTimeout(r, 50));
      recovered = (await app.inject({ url: '/probe/public' })).statusCode === 200;
    }
    expect(recovered).toBe(true);
  });
});
