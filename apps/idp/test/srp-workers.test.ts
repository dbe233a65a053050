import { threadId } from 'node:worker_threads';
import { srpSignIn } from '@app/cognito-srp/sign-in';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSrpWorkerCount, SrpWorkerError, SrpWorkers } from '../src/users/srp-workers.ts';
import { poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { libraryAuthenticate } from './srp-helpers.ts';

describe('SRP server math on worker threads (ADR 0185)', () => {
  let t: TestIdp;
  const email = uniqueEmail('srp-workers');
  // A second user: six sign-ins of one user in flight at once would be a burst past the five free
  // attempts (ADR 0079 counts each attempt as a failure until it succeeds) and answer "Password
  // attempts exceeded" — three per user stay below it.
  const other = uniqueEmail('srp-workers-2');
  beforeAll(async () => {
    t = await startTestIdp({
      srpWorkers: 2,
      users: [
        { email, password: poolPassword },
        { email: other, password: poolPassword },
      ],
    });
  });
  afterAll(() => t.close());

  it('signs in through real clients with the work done on worker threads, not this thread', async () => {
    const backend = { userPoolId: t.idp.pool.poolId, ...t.backend };
    const signIns = [
      ...Array.from({ length: 3 }, () =>
        libraryAuthenticate(t.idp.url, t.idp.pool.poolId, t.web.clientId, email, poolPassword),
      ),
      ...Array.from({ length: 3 }, () => srpSignIn(t.cognito, backend, other, poolPassword)),
    ];
    await Promise.all(signIns);
    const byThread = t.idp.srpWorkers.tasksByThread();
    // Each sign-in is one B and one claim check, each answered by a worker thread.
    expect([...byThread.values()].reduce((a, b) => a + b, 0)).toBe(12);
    expect(byThread.has(threadId)).toBe(false);
    expect(t.idp.srpWorkers.live).toBe(byThread.size);
    expect(byThread.size).toBeGreaterThanOrEqual(1);
    expect(byThread.size).toBeLessThanOrEqual(2);
  });

  it('answers a wrong password as NotAuthorized through the workers', async () => {
    const backend = { userPoolId: t.idp.pool.poolId, ...t.backend };
    await expect(srpSignIn(t.cognito, backend, email, 'not the password at all')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });

  it('stop() leaves no worker thread, and the closed pool refuses work with a clear error', async () => {
    const other = await startTestIdp({ srpWorkers: 2 });
    const pool = other.idp.srpWorkers;
    expect(pool.live).toBe(0); // started on demand
    // The second request finds the first thread busy, so a second thread starts and takes it.
    await Promise.all([pool.run('start', 'abc123'), pool.run('start', 'abc123')]);
    expect(pool.live).toBe(2);
    expect(pool.tasksByThread().size).toBe(2);
    await other.close();
    expect(pool.live).toBe(0);
    await expect(pool.run('start', 'ab')).rejects.toThrow(/pool is closed/);
  });
});

describe('SrpWorkers', () => {
  it('fails the request of a worker that dies with SrpWorkerError and replaces the worker', async () => {
    const pool = new SrpWorkers({
      size: 2,
      workerUrl: new URL('./fixtures/crashing-srp-worker.mjs', import.meta.url),
    });
    try {
      const crash = pool.run('start', 'crash');
      await expect(crash).rejects.toBeInstanceOf(SrpWorkerError);
      await expect(crash).rejects.toThrow(/stopped \(exit code 7\)/);
      await expect(pool.run('start', 'a')).resolves.toBe('echo a');
      await expect(pool.run('start', 'b')).resolves.toBe('echo b');
      // The dead thread was replaced at once; the later requests found the replacement idle.
      expect(pool.spawned).toBe(2);
      expect(pool.live).toBe(1);
    } finally {
      await pool.close();
    }
    expect(pool.live).toBe(0);
  });

  it('keeps SrpError classes across the thread hop (a malformed verifier is an SrpInputError)', async () => {
    const pool = new SrpWorkers({ size: 1 });
    try {
      await expect(pool.run('start', 'not hex')).rejects.toMatchObject({ name: 'SrpInputError' });
      const session = await pool.run('start', 'abc123');
      expect(session.B).toMatch(/^[0-9a-f]+$/);
    } finally {
      await pool.close();
    }
  });

  it('takes its size from IDP_SRP_WORKERS, else the available cores, and refuses a bad value', () => {
    expect(defaultSrpWorkerCount({ IDP_SRP_WORKERS: '3' })).toBe(3);
    expect(defaultSrpWorkerCount({})).toBeGreaterThanOrEqual(1);
    expect(() => defaultSrpWorkerCount({ IDP_SRP_WORKERS: '0' })).toThrow(SrpWorkerError);
    expect(() => defaultSrpWorkerCount({ IDP_SRP_WORKERS: 'two' })).toThrow(/whole number/);
  });
});
