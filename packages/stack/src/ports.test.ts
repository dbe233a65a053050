import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortsFree, PortsInUseError } from './ports.ts';

describe('assertPortsFree', () => {
  it('names every taken port with the variable that sets it, and ignores port 0', async () => {
    const holders = await Promise.all(
      [0, 0].map(
        () =>
          new Promise<ReturnType<typeof createServer>>((resolve) => {
            const s = createServer();
            s.listen(0, '127.0.0.1', () => resolve(s));
          }),
      ),
    );
    const [a, b] = holders.map((s) => (s.address() as { port: number }).port);
    try {
      await expect(assertPortsFree({ IDP_PORT: a!, WEB_PORT: 0 }, '127.0.0.1')).rejects.toThrow(
        `port ${a} (IDP_PORT) is already in use`,
      );
      const err = await assertPortsFree({ IDP_PORT: a!, API_PORT: b!, WEB_PORT: 0 }, '127.0.0.1').catch(
        (e) => e,
      );
      expect(err).toBeInstanceOf(PortsInUseError);
      expect((err as PortsInUseError).taken).toEqual([
        { name: 'IDP_PORT', port: a },
        { name: 'API_PORT', port: b },
      ]);
    } finally {
      for (const s of holders) s.close();
    }
    await expect(assertPortsFree({ IDP_PORT: a!, API_PORT: b! }, '127.0.0.1')).resolves.toBeUndefined();
  });
});
